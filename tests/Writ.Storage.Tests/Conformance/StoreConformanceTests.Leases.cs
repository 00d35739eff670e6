using Writ.Core.Leases;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    protected static Lease NewLease(string id, string task = "tsk_1", string? connection = "orders-db", TimeSpan? ttl = null, LeaseKind kind = LeaseKind.PostgresRole) =>
        Lease.Issue(id, kind, task, "research", "alice", connection, "writ_" + id, T0, T0 + (ttl ?? TimeSpan.FromMinutes(10)), T0 + TimeSpan.FromMinutes(30));

    [Fact]
    public async Task Lease_AddedThenRead_RoundTrips()
    {
        var lease = NewLease("lse_1");

        Assert.Equal(StoreOutcome.Success, (await Store.Leases.AddAsync(lease, Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Leases.AddAsync(lease, Ct)).Outcome);

        Assert.Equal(lease, await Store.Leases.GetAsync("lse_1", Ct));
        Assert.Null(await Store.Leases.GetAsync("lse_missing", Ct));
    }

    [Fact]
    public async Task Leases_AreListedByTaskConnectionAndState()
    {
        await Store.Leases.AddAsync(NewLease("lse_b", "tsk_1"), Ct);
        await Store.Leases.AddAsync(NewLease("lse_a", "tsk_2", "other-db"), Ct);
        await Store.Leases.AddAsync(NewLease("lse_c", "tsk_1", null, kind: LeaseKind.AccessToken), Ct);
        await Store.Leases.EndAsync("lse_c", LeaseState.Revoked, T0.AddMinutes(1), "task completed", Ct);

        Assert.Equal(["lse_a", "lse_b", "lse_c"], (await Store.Leases.ListAsync(new LeaseQuery(), Ct)).Select(l => l.Id));
        Assert.Equal(["lse_b", "lse_c"], (await Store.Leases.ListAsync(new LeaseQuery(TaskId: "tsk_1"), Ct)).Select(l => l.Id));
        Assert.Equal(["lse_b"], (await Store.Leases.ListAsync(new LeaseQuery(State: LeaseState.Active, TaskId: "tsk_1"), Ct)).Select(l => l.Id));
        Assert.Equal(["lse_a"], (await Store.Leases.ListAsync(new LeaseQuery(Connection: "other-db"), Ct)).Select(l => l.Id));
        Assert.Equal(["lse_a"], (await Store.Leases.ListAsync(new LeaseQuery(Limit: 1), Ct)).Select(l => l.Id));
        Assert.Equal(2, await Store.Leases.CountAsync(LeaseState.Active, Ct));
        Assert.Equal(1, await Store.Leases.CountAsync(LeaseState.Revoked, Ct));
    }

    [Fact]
    public async Task LeaseRenewal_BeyondItsLimit_IsRefused()
    {
        await Store.Leases.AddAsync(NewLease("lse_1"), Ct);

        var renewed = await Store.Leases.RenewAsync("lse_1", T0.AddMinutes(20), T0.AddMinutes(5), Ct);
        Assert.True(renewed.Succeeded);
        Assert.Equal(T0.AddMinutes(20), renewed.Value!.ExpiresAt);
        Assert.Equal(T0.AddMinutes(5), renewed.Value.RenewedAt);

        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.RenewAsync("lse_1", T0.AddMinutes(31), T0.AddMinutes(6), Ct)).Outcome);
        Assert.Equal(T0.AddMinutes(20), (await Store.Leases.GetAsync("lse_1", Ct))!.ExpiresAt);
    }

    [Fact]
    public async Task EndedLease_CannotBeRenewedUsedOrEndedAgain()
    {
        await Store.Leases.AddAsync(NewLease("lse_1"), Ct);
        Assert.Equal(1, (await Store.Leases.RecordUseAsync("lse_1", Ct)).Value!.Uses);

        var ended = await Store.Leases.EndAsync("lse_1", LeaseState.Revoked, T0.AddMinutes(2), "task completed", Ct);
        Assert.Equal(LeaseState.Revoked, ended.Value!.State);
        Assert.Equal(T0.AddMinutes(2), ended.Value.EndedAt);
        Assert.Equal("task completed", ended.Value.EndReason);

        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.RenewAsync("lse_1", T0.AddMinutes(20), T0.AddMinutes(3), Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.RecordUseAsync("lse_1", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.EndAsync("lse_1", LeaseState.Expired, T0.AddMinutes(3), "expired", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.EndAsync("lse_missing", LeaseState.Revoked, T0, "x", Ct)).Outcome);
    }

    [Fact]
    public async Task FailedRevocation_IsRetriedWhenDueThenEnds()
    {
        await Store.Leases.AddAsync(NewLease("lse_1", ttl: TimeSpan.FromMinutes(1)), Ct);
        await Store.Leases.AddAsync(NewLease("lse_2", ttl: TimeSpan.FromMinutes(5)), Ct);

        Assert.Equal(["lse_1"], (await Store.Leases.ListDueAsync(T0.AddMinutes(2), 10, Ct)).Select(l => l.Id));

        var failed = await Store.Leases.RecordRevocationFailureAsync("lse_1", "server down", T0.AddMinutes(2), T0.AddMinutes(10), "expired", Ct);
        Assert.Equal(LeaseState.FailedRevocation, failed.Value!.State);
        Assert.Equal(1, failed.Value.RevocationAttempts);
        Assert.Equal("server down", failed.Value.LastError);
        Assert.Equal(T0.AddMinutes(10), failed.Value.NextAttemptAt);
        Assert.Equal(T0.AddMinutes(2), failed.Value.EndedAt);

        Assert.Equal(2, (await Store.Leases.RecordRevocationFailureAsync("lse_1", "still down", T0.AddMinutes(10), T0.AddMinutes(20), "ignored", Ct)).Value!.RevocationAttempts);

        // Not yet due at minute 15; lse_2 expired at minute 5 and is due.
        Assert.Equal(["lse_2"], (await Store.Leases.ListDueAsync(T0.AddMinutes(15), 10, Ct)).Select(l => l.Id));
        Assert.Equal(["lse_2", "lse_1"], (await Store.Leases.ListDueAsync(T0.AddMinutes(25), 10, Ct)).Select(l => l.Id));
        Assert.Equal(1, await Store.Leases.CountAsync(LeaseState.FailedRevocation, Ct));

        var ended = await Store.Leases.EndAsync("lse_1", LeaseState.Expired, T0.AddMinutes(25), "expired", Ct);
        Assert.Equal(LeaseState.Expired, ended.Value!.State);
        Assert.Equal(T0.AddMinutes(2), ended.Value.EndedAt);
        Assert.Equal("expired", ended.Value.EndReason);
        Assert.Null(ended.Value.NextAttemptAt);
        Assert.Equal(["lse_2"], (await Store.Leases.ListDueAsync(T0.AddMinutes(25), 10, Ct)).Select(l => l.Id));
    }

    [Fact]
    public async Task UsesCountedInMemory_AreAdded_EvenAfterTheLeaseEnded()
    {
        await Store.Leases.AddAsync(NewLease("lse_1", kind: LeaseKind.BrokeredSecret), Ct);

        Assert.Equal(3, (await Store.Leases.AddUsesAsync("lse_1", 3, Ct)).Value!.Uses);
        await Store.Leases.EndAsync("lse_1", LeaseState.Revoked, T0.AddMinutes(1), "task completed", Ct);
        var added = await Store.Leases.AddUsesAsync("lse_1", 2, Ct);

        Assert.Equal(5, added.Value!.Uses);
        Assert.Equal(LeaseState.Revoked, added.Value.State);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Leases.AddUsesAsync("lse_missing", 1, Ct)).Outcome);
    }
}
