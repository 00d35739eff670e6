using Microsoft.Extensions.Time.Testing;
using Writ.Core.Tasks;
using Writ.Gateway.Sessions;

namespace Writ.Gateway.Tests.Sessions;

/// <summary>The session table's lifetime and bounds, on a controlled clock.</summary>
public sealed class SessionBindingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(T0);

    [Fact]
    public void BoundSession_IsOwnedByItsTask_AndForeignToAnother()
    {
        var bindings = new SessionBindings(time);
        Assert.True(bindings.TryBind("/mcp", "s1", Task("t1", "a")));

        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s1", Task("t1", "a")));
        Assert.Equal(SessionCheck.Foreign, bindings.Check("/mcp", "s1", Task("t2", "a")));
        Assert.Equal(SessionCheck.Foreign, bindings.Check("/mcp", "s1", Task("t1", "b")));
        Assert.Equal(SessionCheck.Unknown, bindings.Check("/other", "s1", Task("t1", "a")));
    }

    [Fact]
    public void SessionPastItsTokensExpiry_IsUnknown_AndForgotten()
    {
        var bindings = new SessionBindings(time);
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(SessionCheck.Unknown, bindings.Check("/mcp", "s1", Task("t1", "a")));
        Assert.Equal(0, bindings.Count);
    }

    [Fact]
    public void SessionUsedWithALaterTokenOfItsTask_LivesAsLongAsThatToken()
    {
        var bindings = new SessionBindings(time);
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));
        time.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s1", Task("t1", "a", expires: T0.AddMinutes(20))));

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s1", Task("t1", "a")));
    }

    [Fact]
    public void DeletedSession_IsUnknown()
    {
        var bindings = new SessionBindings(time);
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));

        bindings.Remove("/mcp", "s1");

        Assert.Equal(SessionCheck.Unknown, bindings.Check("/mcp", "s1", Task("t1", "a")));
    }

    [Fact]
    public void FullTableOfLiveSessions_RefusesANewSession()
    {
        var bindings = new SessionBindings(time, capacity: 2);
        Assert.True(bindings.TryBind("/mcp", "s1", Task("t1", "a")));
        Assert.True(bindings.TryBind("/mcp", "s2", Task("t2", "a")));

        Assert.False(bindings.TryBind("/mcp", "s3", Task("t3", "a")));
        Assert.Equal(2, bindings.Count);
    }

    [Fact]
    public void FullTable_AdmitsANewSession_OnceExpiredOnesAreDropped()
    {
        var bindings = new SessionBindings(time, capacity: 2);
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));
        bindings.TryBind("/mcp", "s2", Task("t2", "a", expires: T0.AddHours(1)));
        time.Advance(TimeSpan.FromMinutes(11));

        Assert.True(bindings.TryBind("/mcp", "s3", Task("t3", "a", expires: T0.AddHours(1))));
        Assert.Equal(2, bindings.Count);
        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s2", Task("t2", "a")));
    }

    [Fact]
    public void TaskOverItsSessionLimit_LosesItsOldestSession_NotAnotherTasks()
    {
        var bindings = new SessionBindings(time, capacity: 100, perTaskLimit: 2);
        bindings.TryBind("/mcp", "other", Task("t2", "a"));
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));
        bindings.TryBind("/mcp", "s2", Task("t1", "a"));

        Assert.True(bindings.TryBind("/mcp", "s3", Task("t1", "a")));

        Assert.Equal(SessionCheck.Unknown, bindings.Check("/mcp", "s1", Task("t1", "a")));
        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s3", Task("t1", "a")));
        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "other", Task("t2", "a")));
        Assert.Equal(3, bindings.Count);
    }

    [Fact]
    public void UpstreamHandingOutAnotherTasksSessionId_IsNotBound()
    {
        var bindings = new SessionBindings(time);
        bindings.TryBind("/mcp", "s1", Task("t1", "a"));

        Assert.False(bindings.TryBind("/mcp", "s1", Task("t2", "b")));
        Assert.Equal(SessionCheck.Owned, bindings.Check("/mcp", "s1", Task("t1", "a")));
    }

    [Fact]
    public void ManyTasksFillingTheTable_NeverGrowItBeyondItsCapacity()
    {
        var bindings = new SessionBindings(time, capacity: 50, perTaskLimit: 4);
        for (var i = 0; i < 1000; i++)
        {
            bindings.TryBind("/mcp", "s" + i, Task("t" + (i % 300), "a"));
        }

        Assert.Equal(50, bindings.Count);
    }

    private static TaskTokenClaims Task(string id, string agent, DateTimeOffset? expires = null) => new()
    {
        TaskId = id,
        Jti = "j-" + id,
        Audience = "https://gateway.test",
        Subject = "spiffe://writ.local/agent/" + agent,
        ActingAgent = "spiffe://writ.local/agent/" + agent,
        AgentName = agent,
        Chain = [],
        Owner = "alice",
        Intent = new TaskIntent("test", [], Sensitivity.Internal, TimeSpan.FromMinutes(10)),
        Attestation = new TaskAttestation("join_token", null),
        IssuedAt = T0,
        ExpiresAt = expires ?? T0.AddMinutes(10),
        Actors = [],
    };
}
