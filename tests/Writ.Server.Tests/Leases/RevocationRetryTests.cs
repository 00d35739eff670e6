using Npgsql;
using Writ.Core.Leases;

namespace Writ.Server.Tests.Leases;

/// <summary>A revocation that fails because PostgreSQL is down is retried once it is back; a cluster of its own, stopped for real.</summary>
public sealed class RevocationRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Revocation_IsRetriedAfterPostgresWasDownDuringTheFirstAttempt()
    {
        await using var world = await RoleLeaseWorld.StartAsync(Ct);

        await world.Cluster.StopAsync(Ct);
        var first = Assert.Single(await world.Host.Service<LeaseRevoker>().RevokeForTaskAsync("tsk_1", "task completed", Ct));

        Assert.Equal(LeaseState.FailedRevocation, first.State);
        Assert.Equal(1, first.RevocationAttempts);
        Assert.False(string.IsNullOrEmpty(first.LastError));
        Assert.NotNull(first.NextAttemptAt);
        var stuck = await world.Host.OkAsync(HttpMethod.Get, "leases?stuck=true");
        Assert.Equal(world.Issued.Lease.Id, stuck["items"]![0]!["id"]!.GetValue<string>());

        // Not due yet: the reaper leaves it alone.
        await world.Host.Service<LeaseReaping>().RunOnceAsync(Ct);
        Assert.Equal(1, (await world.Host.Store.Leases.GetAsync(world.Issued.Lease.Id, Ct))!.RevocationAttempts);

        // Its admin login is still needed to drop the role: the connection cannot be removed yet (this tries once more).
        Assert.Equal((409, "leases_stuck"), await world.Host.ProblemAsync(HttpMethod.Delete, "connections/orders-db"));
        var second = await world.Host.Store.Leases.GetAsync(world.Issued.Lease.Id, Ct);
        Assert.Equal(2, second!.RevocationAttempts);

        await world.Cluster.StartAgainAsync(Ct);
        world.Host.Time.Advance(second.NextAttemptAt!.Value - world.Host.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await world.Host.Service<LeaseReaping>().RunOnceAsync(Ct);

        var lease = await world.Host.Store.Leases.GetAsync(world.Issued.Lease.Id, Ct);
        Assert.Equal(LeaseState.Revoked, lease!.State);
        Assert.Equal("task completed", lease.EndReason);
        Assert.False(await RoleTargets.RoleExistsAsync(world.Superuser, world.Issued.Role, Ct));
        await using var after = new NpgsqlConnection(world.Issued.ConnectionString + ";Pooling=false");
        await Assert.ThrowsAsync<PostgresException>(() => after.OpenAsync(Ct));
        Assert.Empty((await world.Host.OkAsync(HttpMethod.Get, "leases?stuck=true"))["items"]!.AsArray());
        await world.Host.OkAsync(HttpMethod.Delete, "connections/orders-db");
    }
}
