namespace Writ.Server.Tests.Tasks;

public sealed class TaskSettingsTests
{
    [Theory]
    [InlineData("--Writ:Tasks:MaxDuration=PT2H", "maximum task duration")]
    [InlineData("--Writ:Tasks:MaxDuration=ten minutes", "MaxDuration")]
    [InlineData("--Writ:Tasks:MaxDelegationDepth=-1", "MaxDelegationDepth")]
    [InlineData("--Writ:Tasks:MaxDelegationDepth=99", "delegation depth")]
    [InlineData("--Writ:Tasks:StatusCacheWindow=PT5M", "status cache window")]
    public void InvalidTaskSettings_StopStartup(string argument, string mentioned)
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-task-settings-" + Guid.NewGuid().ToString("N"));
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => WritApp.Build(new WritServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                DataDirectory = data,
                DevMode = true,
                ConfigurationArgs = [argument],
            }));
            Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ConfiguredDepthAndDuration_AreApplied()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-task-settings-" + Guid.NewGuid().ToString("N"));
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = data,
            DevMode = true,
            ConfigurationArgs = ["--Writ:Tasks:MaxDuration=PT5M", "--Writ:Tasks:MaxDelegationDepth=1", "--Writ:Tasks:StatusCacheWindow=0"],
        });
        try
        {
            var options = (Writ.Core.Tasks.TaskOptions)app.Services.GetService(typeof(Writ.Core.Tasks.TaskOptions))!;
            Assert.Equal(TimeSpan.FromMinutes(5), options.MaxDuration);
            Assert.Equal(1, options.MaxDelegationDepth);
            Assert.Equal(TimeSpan.Zero, options.StatusCacheWindow);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
