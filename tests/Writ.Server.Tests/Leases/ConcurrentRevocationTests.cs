using Writ.Core.Leases;
using Writ.Server.Tests.Connections;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>Several passes ending the same PostgreSQL role lease at once; a cluster of its own.</summary>
public sealed class ConcurrentRevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RoleDroppedByARacingPass_CountsAsRevoked_NotAsAFailure()
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
            var lease = issued!.Lease;

            // The cascade, the reaper and another process may all end the same lease at once: each sees the role,
            // one drops it, and the others must not record the credential as still alive.
            var revoker = host.Service<LeaseRevoker>();
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => revoker.RevokeAsync(lease, "task completed", Ct), Ct)));

            Assert.All(results, r => Assert.NotEqual(LeaseState.FailedRevocation, r.State));
            var stored = await host.Store.Leases.GetAsync(lease.Id, Ct);
            Assert.Equal(LeaseState.Revoked, stored!.State);
            Assert.Equal(0, stored.RevocationAttempts);
            Assert.False(await RoleTargets.RoleExistsAsync(superuser, issued.Role, Ct));
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }
}
