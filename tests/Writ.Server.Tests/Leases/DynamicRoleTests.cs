using Npgsql;
using Writ.Core.Leases;
using Writ.Server.Tests.Connections;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>Dynamic PostgreSQL roles against a real server the tests start: the role works during the task and not after.</summary>
public sealed class DynamicRoleTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private ConnectionTestHost _host = null!;
    private string _database = null!;
    private string _superuser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_database, _superuser) = await cluster.CreateDatabaseAsync(Ct);
        await RoleTargets.CreateTablesAsync(_superuser, Ct);
        _host = await ConnectionTestHost.StartAsync();
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await _host.OkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(_superuser, "orders-db"));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
        await cluster.DropDatabaseAsync(_database, CancellationToken.None);
    }

    private LeaseRequest Request(string task = "tsk_1", TimeSpan? ttl = null, TimeSpan? taskLeft = null) =>
        new(task, "research", "alice", _host.Time.GetUtcNow() + (taskLeft ?? TimeSpan.FromMinutes(10)), "orders-db", ttl);

    [Fact]
    public async Task DynamicRole_WorksDuringTheTask_AndCannotConnectAfterItCompletes()
    {
        var (issued, error) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request(), Ct);
        Assert.Null(error);
        Assert.Equal(LeaseState.Active, issued!.Lease.State);

        // During the task: exactly the template's grants.
        await using (var session = new NpgsqlConnection(issued.ConnectionString + ";Pooling=false"))
        {
            await session.OpenAsync(Ct);
            Assert.Equal(2L, await RoleTargets.ScalarAsync(session, "SELECT count(*) FROM public.orders", Ct));
            var insert = await Assert.ThrowsAsync<PostgresException>(() => RoleTargets.ScalarAsync(session, "INSERT INTO public.orders VALUES (3)", Ct));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);
            var other = await Assert.ThrowsAsync<PostgresException>(() => RoleTargets.ScalarAsync(session, "SELECT count(*) FROM public.payroll", Ct));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, other.SqlState);
        }

        // A session still open when the task completes is ended with it.
        await using var lingering = new NpgsqlConnection(issued.ConnectionString + ";Pooling=false");
        await lingering.OpenAsync(Ct);

        var ended = await _host.Service<LeaseRevoker>().RevokeForTaskAsync("tsk_1", "task completed", Ct);

        var lease = Assert.Single(ended);
        Assert.Equal(LeaseState.Revoked, lease.State);
        Assert.Equal("task completed", lease.EndReason);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => RoleTargets.ScalarAsync(lingering, "SELECT 1", Ct));
        await using var after = new NpgsqlConnection(issued.ConnectionString + ";Pooling=false");
        await Assert.ThrowsAsync<PostgresException>(() => after.OpenAsync(Ct));
        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, issued.Role, Ct));

        var listed = await _host.OkAsync(HttpMethod.Get, "leases?task=tsk_1");
        Assert.Equal("revoked", listed["items"]![0]!["state"]!.GetValue<string>());
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains(new NpgsqlConnectionStringBuilder(issued.ConnectionString).Password!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredLease_IsEndedByTheReaper_AndItsRoleDropped()
    {
        var (issued, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request(ttl: TimeSpan.FromMinutes(2)), Ct);
        Assert.True(await RoleTargets.RoleExistsAsync(_superuser, issued!.Role, Ct));

        _host.Time.Advance(TimeSpan.FromMinutes(3));
        await _host.Service<LeaseReaping>().RunOnceAsync(Ct);

        var lease = await _host.Store.Leases.GetAsync(issued.Lease.Id, Ct);
        Assert.Equal(LeaseState.Expired, lease!.State);
        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, issued.Role, Ct));
    }

    [Fact]
    public async Task Renewal_IsBoundedByTheTasksExpiry()
    {
        var leases = _host.Service<PostgresRoleLeases>();
        var (issued, _) = await leases.IssueAsync(Request(ttl: TimeSpan.FromMinutes(2), taskLeft: TimeSpan.FromMinutes(10)), Ct);
        var taskEnd = _host.Time.GetUtcNow() + TimeSpan.FromMinutes(10);

        var (renewed, error) = await leases.RenewAsync(issued!.Lease.Id, TimeSpan.FromHours(1), Ct);

        Assert.Null(error);
        Assert.Equal(taskEnd, renewed!.ExpiresAt, TimeSpan.FromSeconds(1));
        var validUntil = await RoleTargets.ValidUntilAsync(_superuser, issued.Role, Ct);
        Assert.Equal(taskEnd, validUntil, TimeSpan.FromSeconds(1));

        // Past the task's end the renewal is refused: by the task bound, or — once the expiry sweep has
        // ended the task and with it this lease — because the lease is no longer active.
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        var (notRenewed, refused) = await leases.RenewAsync(issued.Lease.Id, TimeSpan.FromMinutes(1), Ct);
        Assert.Null(notRenewed);
        Assert.Contains(refused!.Code, new[] { "renewal_refused", "lease_not_active" });
    }

    [Fact]
    public async Task LeaseBeyondTheConnectionsMaximum_IsCutToIt()
    {
        var (issued, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request(ttl: TimeSpan.FromHours(5), taskLeft: TimeSpan.FromHours(8)), Ct);

        Assert.Equal(issued!.Lease.IssuedAt + TimeSpan.FromMinutes(30), issued.Lease.ExpiresAt);
        Assert.Equal(issued.Lease.ExpiresAt, issued.Lease.NotAfter);
    }

    [Fact]
    public async Task RoleFromAnotherOwnersConnection_IsRefused()
    {
        var (issued, error) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request() with { Owner = "mallory" }, Ct);

        Assert.Null(issued);
        Assert.Equal("connection_not_found", error!.Code);
    }

    [Fact]
    public async Task RemovingTheConnection_EndsItsLeases()
    {
        var (issued, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request(), Ct);

        var removed = await _host.OkAsync(HttpMethod.Delete, "connections/orders-db");

        Assert.Equal("revoked", removed["endedLeases"]![0]!["state"]!.GetValue<string>());
        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, issued!.Role, Ct));
    }

    [Fact]
    public async Task RevokingTheConnection_EndsItsLeases_AndReportsEveryEvent()
    {
        var (first, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request("tsk_1"), Ct);
        var (second, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request("tsk_2"), Ct);

        var report = await _host.OkAsync(HttpMethod.Post, "revocations", new { kind = "connection", id = "orders-db", cause = "credential leak" });

        var events = report["ended"]!.AsArray().Select(e => (e!["kind"]!.GetValue<string>(), e["subject"]!.GetValue<string>())).ToList();
        Assert.Equal(("connection", "orders-db"), events[0]);
        Assert.Contains(("lease", first!.Lease.Id), events);
        Assert.Contains(("lease", second!.Lease.Id), events);
        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, first.Role, Ct));
        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, second.Role, Ct));
        Assert.Equal(LeaseState.Revoked, (await _host.Store.Leases.GetAsync(first.Lease.Id, Ct))!.State);

        // The connection stays; a new lease can be drawn after the leak is handled.
        Assert.NotNull(await _host.Store.Connections.GetAsync("orders-db", Ct));
    }

    [Fact]
    public async Task RevokingOneLease_ThroughTheRevocationApi_DropsItsRole()
    {
        var (issued, _) = await _host.Service<PostgresRoleLeases>().IssueAsync(Request(), Ct);

        await _host.OkAsync(HttpMethod.Post, "revocations", new { kind = "lease", id = issued!.Lease.Id });

        Assert.False(await RoleTargets.RoleExistsAsync(_superuser, issued.Role, Ct));
        Assert.Equal((404, "lease_not_found"), await _host.ProblemAsync(HttpMethod.Post, "revocations", new { kind = "lease", id = "lse_missing" }));
    }
}
