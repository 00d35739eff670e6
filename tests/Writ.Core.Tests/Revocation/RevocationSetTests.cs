using Writ.Core.Revocation;

namespace Writ.Core.Tests.Revocation;

public sealed class RevocationSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static RevocationEvent Event(RevocationKind kind, string subject, DateTimeOffset? at = null, int minutes = 10) =>
        new(1, at ?? T0, kind, subject, (at ?? T0).AddMinutes(minutes), null);

    [Fact]
    public void RevokedJti_IsRevoked_OtherJtiIsNot()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Token, "jti-1"), T0);

        Assert.True(set.IsRevoked(new RevocationQuery(T0, Jti: "jti-1")));
        Assert.False(set.IsRevoked(new RevocationQuery(T0, Jti: "jti-2")));
    }

    [Fact]
    public void RevokedKey_EndsEveryTokenItSigned_WhateverTheIssueTime()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Key, "kid-1"), T0);

        Assert.True(set.IsRevoked(new RevocationQuery(T0.AddMinutes(5), KeyId: "kid-1")));
        Assert.False(set.IsRevoked(new RevocationQuery(T0, KeyId: "kid-2")));
    }

    [Fact]
    public void RevokedAgent_EndsTokensIssuedUpToTheRevocation_NotLaterOnes()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Agent, "spiffe://d/agent/a"), T0);

        Assert.True(set.IsRevoked(new RevocationQuery(T0.AddSeconds(-30), Agents: ["spiffe://d/agent/a"])));
        Assert.True(set.IsRevoked(new RevocationQuery(T0, Agents: ["spiffe://d/agent/a"])));
        Assert.False(set.IsRevoked(new RevocationQuery(T0.AddSeconds(1), Agents: ["spiffe://d/agent/a"])));
    }

    [Fact]
    public void RevokedActorInDelegationChain_EndsTheToken()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Agent, "spiffe://d/agent/a"), T0);

        Assert.True(set.IsRevoked(new RevocationQuery(T0, Agents: ["spiffe://d/agent/b", "spiffe://d/agent/a"])));
    }

    [Fact]
    public void RevokedOwnerAndTask_EndTheirTokens()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Owner, "alice"), T0);
        set.Apply(Event(RevocationKind.Task, "task-1"), T0);

        Assert.True(set.IsRevoked(new RevocationQuery(T0, Owner: "alice")));
        Assert.True(set.IsRevoked(new RevocationQuery(T0.AddMinutes(1), TaskId: "task-1")));
        Assert.False(set.IsRevoked(new RevocationQuery(T0, Owner: "bob", TaskId: "task-2")));
    }

    [Fact]
    public void EntryLeaves_OnceItsTokensWouldHaveExpired()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Token, "short", minutes: 1), T0);
        set.Apply(Event(RevocationKind.Token, "long", minutes: 10), T0);

        Assert.Equal(1, set.Sweep(T0.AddMinutes(1)));

        Assert.Equal(1, set.Count);
        Assert.False(set.Contains(RevocationKind.Token, "short"));
        Assert.True(set.Contains(RevocationKind.Token, "long"));
    }

    [Fact]
    public void AlreadyExpiredEvent_IsNotHeld()
    {
        var set = new RevocationSet();

        set.Apply(Event(RevocationKind.Token, "old", at: T0.AddHours(-2)), T0);

        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void RepeatedEvent_KeepsOneEntryWithTheLaterTimes()
    {
        var set = new RevocationSet();
        set.Apply(Event(RevocationKind.Agent, "a", at: T0), T0);
        set.Apply(Event(RevocationKind.Agent, "a", at: T0.AddMinutes(5)), T0);

        Assert.Equal(1, set.Count);
        Assert.True(set.IsRevoked(new RevocationQuery(T0.AddMinutes(4), Agents: ["a"])));
        Assert.Equal(0, set.Sweep(T0.AddMinutes(12)));
        Assert.Equal(1, set.Sweep(T0.AddMinutes(15)));
    }

    [Fact]
    public void FullSet_FailsClosed_UntilTheDroppedRevocationExpired()
    {
        var set = new RevocationSet(capacity: 2);
        set.Apply(Event(RevocationKind.Token, "a", minutes: 1), T0);
        set.Apply(Event(RevocationKind.Token, "b", minutes: 1), T0);

        set.Apply(Event(RevocationKind.Token, "c", minutes: 5), T0);

        Assert.True(set.Overflowed);
        Assert.True(set.IsRevoked(new RevocationQuery(T0, Jti: "unrelated")));
        set.Sweep(T0.AddMinutes(2));
        Assert.True(set.IsRevoked(new RevocationQuery(T0, Jti: "unrelated")));
        set.Sweep(T0.AddMinutes(5));
        Assert.False(set.Overflowed);
        Assert.False(set.IsRevoked(new RevocationQuery(T0, Jti: "unrelated")));
    }

    [Fact]
    public void ConcurrentAppliesAndLookups_CountEveryEntryOnce()
    {
        var set = new RevocationSet();

        Parallel.For(0, 10_000, i =>
        {
            set.Apply(Event(RevocationKind.Token, "jti-" + (i % 5000)), T0);
            _ = set.IsRevoked(new RevocationQuery(T0, Jti: "jti-" + i));
        });

        Assert.Equal(5000, set.Count);
    }
}
