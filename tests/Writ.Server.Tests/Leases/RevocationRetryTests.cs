using Npgsql;
using Writ.Core.Leases;
using Writ.Server.Tests.Connections;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>A revocation that fails because PostgreSQL is down is retried once it is back; a cluster of its own, stopped for real.</summary>
public sealed class RevocationRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Revocation_IsRetriedAfterPostgresWasDownDuringTheFirstAttempt()
    {
        await using var cluster = await PostgresCluster.StartAsync(Ct);
        var database = await cluster.CreateDatabaseAsync(Ct);
        var superuser = cluster.ConnectionString(database);
        await RoleTargets.CreateTablesAsync(superuser, Ct);
        var host = await ConnectionTestHost.StartAsync();
        try
        {
            await host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
            await host.OkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(superuser, "orders-db"));
            var (issued, _) = await host.Service<PostgresRoleLeases>().IssueAsync(
                new LeaseRequest("tsk_1", "research", "alice", host.Time.GetUtcNow() + TimeSpan.FromMinutes(10), "orders-db"), Ct);

            await cluster.StopAsync(Ct);
            var first = Assert.Single(await host.Service<LeaseRevoker>().RevokeForTaskAsync("tsk_1", "task completed", Ct));

            Assert.Equal(LeaseState.FailedRevocation, first.State);
            Assert.Equal(1, first.RevocationAttempts);
            Assert.False(string.IsNullOrEmpty(first.LastError));
            Assert.NotNull(first.NextAttemptAt);
            var stuck = await host.OkAsync(HttpMethod.Get, "leases?stuck=true");
            Assert.Equal(issued!.Lease.Id, stuck["items"]![0]!["id"]!.GetValue<string>());

            // Not due yet: the reaper leaves it alone.
            await host.Service<LeaseReaping>().RunOnceAsync(Ct);
            Assert.Equal(1, (await host.Store.Leases.GetAsync(issued.Lease.Id, Ct))!.RevocationAttempts);

            // Its admin login is still needed to drop the role: the connection cannot be removed yet (this tries once more).
            Assert.Equal((409, "leases_stuck"), await host.ProblemAsync(HttpMethod.Delete, "connections/orders-db"));
            var second = await host.Store.Leases.GetAsync(issued.Lease.Id, Ct);
            Assert.Equal(2, second!.RevocationAttempts);

            await cluster.StartAgainAsync(Ct);
            host.Time.Advance(second.NextAttemptAt!.Value - host.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
            await host.Service<LeaseReaping>().RunOnceAsync(Ct);

            var lease = await host.Store.Leases.GetAsync(issued.Lease.Id, Ct);
            Assert.Equal(LeaseState.Revoked, lease!.State);
            Assert.Equal("task completed", lease.EndReason);
            Assert.False(await RoleTargets.RoleExistsAsync(superuser, issued.Role, Ct));
            await using var after = new NpgsqlConnection(issued.ConnectionString + ";Pooling=false");
            await Assert.ThrowsAsync<PostgresException>(() => after.OpenAsync(Ct));
            Assert.Empty((await host.OkAsync(HttpMethod.Get, "leases?stuck=true"))["items"]!.AsArray());
            await host.OkAsync(HttpMethod.Delete, "connections/orders-db");
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }
}
