using Writ.Core.Leases;
using Writ.Server.Tests.Connections;

namespace Writ.Server.Tests.Leases;

/// <summary>Brokered secrets: resolved in process for a task, injected by the enforcement point, each use counted on one lease.</summary>
public sealed class BrokeredSecretTests : IAsyncLifetime
{
    private const string Secret = "sk-brokered-8f2Kq0Zt6Yx1";

    private ConnectionTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await ConnectionTestHost.StartAsync();
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await _host.OkAsync(HttpMethod.Post, "connections", new { name = "weather-api", owner = "alice", kind = "static_secret", secret = Secret, headerName = "Authorization", scheme = "Bearer", maxLeaseDuration = "PT20M" });
        await _host.OkAsync(HttpMethod.Post, "connections", new { name = "orders-db", owner = "alice", kind = "postgres_admin", secret = Secret, host = "db", database = "orders", adminUser = "admin", grants = new[] { new { schema = "public", tables = new[] { "*" }, privileges = new[] { "SELECT" } } } });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
    }

    private LeaseRequest Request(string connection = "weather-api", string owner = "alice") =>
        new("tsk_1", "research", owner, _host.Time.GetUtcNow() + TimeSpan.FromMinutes(60), connection);

    [Fact]
    public async Task BrokeredSecret_IsInjectedAsAHeader_AndEachUseCountsOnOneLease()
    {
        var brokered = _host.Service<BrokeredSecrets>();

        var (first, error) = await brokered.ResolveAsync(Request(), Ct);
        var (second, _) = await brokered.ResolveAsync(Request(), Ct);

        Assert.Null(error);
        Assert.Equal("Authorization", first!.HeaderName);
        Assert.Equal("Bearer " + Secret, first.HeaderValue);
        Assert.DoesNotContain(Secret, first.ToString(), StringComparison.Ordinal);
        Assert.Equal(first.LeaseId, second!.LeaseId);
        await brokered.FlushAsync(Ct);
        var lease = await _host.Store.Leases.GetAsync(first.LeaseId, Ct);
        Assert.Equal(LeaseKind.BrokeredSecret, lease!.Kind);
        Assert.Equal(2, lease.Uses);
        Assert.Equal(lease.IssuedAt + TimeSpan.FromMinutes(20), lease.ExpiresAt);
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherOwnersTask_GetsNoSecret()
    {
        var (credential, error) = await _host.Service<BrokeredSecrets>().ResolveAsync(Request(owner: "mallory"), Ct);

        Assert.Null(credential);
        Assert.Equal("connection_not_found", error!.Code);
    }

    [Fact]
    public async Task DatabaseAdminLogin_IsNeverBrokered()
    {
        var (credential, error) = await _host.Service<BrokeredSecrets>().ResolveAsync(Request("orders-db"), Ct);

        Assert.Null(credential);
        Assert.Equal("wrong_connection_kind", error!.Code);
    }

    [Fact]
    public async Task RevokedLease_IsNotReplaced_TheTaskGetsNoSecret()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        var (first, _) = await brokered.ResolveAsync(Request(), Ct);
        await _host.OkAsync(HttpMethod.Post, "leases/" + first!.LeaseId + "/revoke");

        var (next, error) = await brokered.ResolveAsync(Request(), Ct);

        Assert.Null(next);
        Assert.Equal("lease_revoked", error!.Code);
        Assert.Equal(LeaseState.Revoked, (await _host.Store.Leases.GetAsync(first.LeaseId, Ct))!.State);
    }

    [Fact]
    public async Task ExpiredLease_IsFollowedByANewOne_WithinTheTask()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        var (first, _) = await brokered.ResolveAsync(Request(), Ct);
        _host.Time.Advance(TimeSpan.FromMinutes(21));
        await _host.Service<LeaseReaping>().RunOnceAsync(Ct);

        var (next, error) = await brokered.ResolveAsync(Request() with { TaskExpiresAt = _host.Time.GetUtcNow() + TimeSpan.FromMinutes(30) }, Ct);

        Assert.Null(error);
        Assert.NotEqual(first!.LeaseId, next!.LeaseId);
    }
}
