using Writ.Core.Leases;

namespace Writ.Server.Tests.Leases;

/// <summary>Several passes ending the same PostgreSQL role lease at once; a cluster of its own.</summary>
public sealed class ConcurrentRevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RoleDroppedByARacingPass_CountsAsRevoked_NotAsAFailure()
    {
        await using var world = await RoleLeaseWorld.StartAsync(Ct);
        var lease = world.Issued.Lease;

        // The cascade, the reaper and another process may all end the same lease at once: each sees the role,
        // one drops it, and the others must not record the credential as still alive.
        var revoker = world.Host.Service<LeaseRevoker>();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => revoker.RevokeAsync(lease, "task completed", Ct), Ct)));

        Assert.All(results, r => Assert.NotEqual(LeaseState.FailedRevocation, r.State));
        var stored = await world.Host.Store.Leases.GetAsync(lease.Id, Ct);
        Assert.Equal(LeaseState.Revoked, stored!.State);
        Assert.Equal(0, stored.RevocationAttempts);
        Assert.False(await RoleTargets.RoleExistsAsync(world.Superuser, world.Issued.Role, Ct));
    }
}
