using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Server.Hosting;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class HostingTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task DevMode_GeneratesRootKeyAndAdminToken_OwnerOnly()
    {
        await using var host = await WritHost.StartAsync();

        var info = WritApp.GetStartupInfo(host.App);

        Assert.True(info.AdminTokenGenerated);
        Assert.True(info.DevMode);
        Assert.Equal(Path.Combine(host.DataDirectory, BootstrapAdminToken.FileName), info.AdminTokenFile);
        Assert.Equal(info.AdminToken, (await File.ReadAllTextAsync(info.AdminTokenFile!, TestContext.Current.CancellationToken)).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(info.AdminTokenFile!));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(host.DataDirectory, RootKeySource.FileName)));
        }
    }

    [Fact]
    public async Task Restart_KeepsAdminTokenKeysAndData()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-restart-" + Guid.NewGuid().ToString("N"));
        string token;
        string kid;
        await using (var first = await WritHost.StartAsync(dataDirectory: data, keepData: true))
        {
            token = first.AdminToken;
            await first.AddOwnerAsync("alice");
            kid = (await first.JwksAsync()).Keys[0].GetProperty("kid").GetString()!;
        }

        await using var second = await WritHost.StartAsync(dataDirectory: data);

        Assert.Equal(token, second.AdminToken);
        Assert.False(WritApp.GetStartupInfo(second.App).AdminTokenGenerated);
        Assert.Equal(kid, (await second.JwksAsync()).Keys[0].GetProperty("kid").GetString());
        Assert.NotNull(await second.Store.Owners.GetAsync("alice", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ServerModeWithoutRootKey_StopsStartup()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RootKeySource.EnvironmentVariable)))
        {
            return;
        }

        var data = Path.Combine(Path.GetTempPath(), "writ-noroot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var error = Assert.Throws<RootKeyException>(() => WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data }));
            Assert.Contains(RootKeySource.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AdminTokenFileReadableByOthers_StopsStartup()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = Path.Combine(Path.GetTempPath(), "writ-perm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, BootstrapAdminToken.FileName);
        await File.WriteAllTextAsync(file, "wat.0123456789abcdefghijklmnopqrstuvwxyz", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(file, OwnerReadWrite | UnixFileMode.OtherRead);
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data, DevMode = true }));
            Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Housekeeping_PurgesExpiredReplayEntries_ButNotLiveOnes()
    {
        await using var host = await WritHost.StartAsync();
        using var key = new AgentKey("k1");
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("builder", "alice", publicKeys: new[] { key.PublicJwk });
        var assertion = key.Sign(AgentKey.Claims("spiffe://writ.local/agent/builder", host.TokenEndpoint, host.Time.GetUtcNow(), jti: "once"));
        using (var first = await host.TokenAsync(("grant_type", TokenTypes.JwtBearerGrant), ("assertion", assertion), ("audience", "a")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var housekeeping = host.App.Services.GetRequiredService<Housekeeping>();
        Assert.Equal(0, await housekeeping.PurgeAsync(TestContext.Current.CancellationToken));
        Assert.False(await host.Store.ReplayCache.TryRecordAsync("agent:builder", "once", host.Time.GetUtcNow().AddMinutes(5), TestContext.Current.CancellationToken));

        // Past the assertion's expiry (2 min + skew) but before the first background pass (5 min).
        host.Time.Advance(TimeSpan.FromMinutes(4));

        Assert.True(await housekeeping.PurgeAsync(TestContext.Current.CancellationToken) >= 1);
    }

    [Fact]
    public async Task WrongRootKey_StopsStartup()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-rootkey-" + Guid.NewGuid().ToString("N"));
        await using (await WritHost.StartAsync(dataDirectory: data, keepData: true))
        {
        }

        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = data,
            ConfigurationArgs = ["--Writ:RootKey=" + otherKey],
        });
        try
        {
            var error = await Assert.ThrowsAsync<KeyRingException>(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("root key", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
