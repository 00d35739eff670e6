using Microsoft.Extensions.Configuration;
using Writ.Server.Hosting;

namespace Writ.Server.Tests.Audit;

/// <summary><c>Writ:Audit</c> configuration: accepted spellings, and invalid values stopping startup with the key named.</summary>
public sealed class AuditLogOptionsTests
{
    [Fact]
    public void NoConfiguration_GivesTheDefaults()
    {
        var options = AuditSetup.ReadOptions(Configuration());

        Assert.Equal(TimeSpan.FromMilliseconds(5), options.FlushWindow);
        Assert.Equal(1000, options.CheckpointEvery);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("20", 20)]
    [InlineData("00:00:00.250", 250)]
    public void FlushWindow_InMillisecondsOrAsTimeSpan_IsAccepted(string value, int milliseconds)
    {
        var options = AuditSetup.ReadOptions(Configuration(("Writ:Audit:FlushWindow", value)));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.FlushWindow);
    }

    [Fact]
    public void EnvironmentSpelling_ReachesTheAuditSection()
    {
        var options = AuditSetup.ReadOptions(Configuration(("Writ:AUDIT:FLUSHWINDOW", "0"), ("Writ:AUDIT:QUEUECAPACITY", "4096")));

        Assert.Equal(TimeSpan.Zero, options.FlushWindow);
        Assert.Equal(4096, options.QueueCapacity);
    }

    [Theory]
    [InlineData("Writ:Audit:FlushWindow", "soon")]
    [InlineData("Writ:Audit:FlushWindow", "-5")]
    [InlineData("Writ:Audit:FlushWindow", "00:00:05")]
    [InlineData("Writ:Audit:MaxBatch", "0")]
    [InlineData("Writ:Audit:QueueCapacity", "lots")]
    [InlineData("Writ:Audit:CheckpointEvery", "-1")]
    public void InvalidValue_StopsStartup_NamingTheSection(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AuditSetup.ReadOptions(Configuration((key, value))));

        Assert.Contains("Writ:Audit", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
