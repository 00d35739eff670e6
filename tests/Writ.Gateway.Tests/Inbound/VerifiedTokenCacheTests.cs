using Writ.Core.Domain;
using Writ.Core.Tasks;
using Writ.Gateway.Inbound;

namespace Writ.Gateway.Tests.Inbound;

/// <summary>The cache of verified task tokens: exact token text only, never past <c>exp</c>, bounded.</summary>
public sealed class VerifiedTokenCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTime time = new() { Now = T0 };

    [Fact]
    public void VerifiedToken_IsServedUntilItExpires()
    {
        var cache = new VerifiedTokenCache(time);
        cache.Add("a.b.c", Claims(T0.AddMinutes(5)));

        time.Now = T0.AddMinutes(5).AddTicks(-1);
        Assert.NotNull(cache.Find("a.b.c"));
    }

    [Fact]
    public void ExpiredToken_IsNotServedFromCache()
    {
        var cache = new VerifiedTokenCache(time);
        cache.Add("a.b.c", Claims(T0.AddMinutes(5)));

        time.Now = T0.AddMinutes(5);

        Assert.Null(cache.Find("a.b.c"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void AlteredTokenText_IsNotServedFromCache()
    {
        var cache = new VerifiedTokenCache(time);
        cache.Add("a.b.c", Claims(T0.AddMinutes(5)));

        Assert.Null(cache.Find("a.b.d"));
        Assert.Null(cache.Find("a.b.c "));
        Assert.Null(cache.Find("A.b.c"));
    }

    [Fact]
    public void FullCache_DropsExpiredEntriesFirst()
    {
        var cache = new VerifiedTokenCache(time, capacity: 3);
        cache.Add("old-1", Claims(T0.AddMinutes(1)));
        cache.Add("old-2", Claims(T0.AddMinutes(1)));
        cache.Add("live", Claims(T0.AddMinutes(10)));
        time.Now = T0.AddMinutes(2);

        cache.Add("new", Claims(T0.AddMinutes(10)));

        Assert.Equal(2, cache.Count);
        Assert.NotNull(cache.Find("live"));
        Assert.NotNull(cache.Find("new"));
    }

    [Fact]
    public void FullCacheOfLiveTokens_StaysBounded()
    {
        var cache = new VerifiedTokenCache(time, capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add("token-" + i, Claims(T0.AddMinutes(10)));
            Assert.InRange(cache.Count, 1, 3);
        }

        Assert.NotNull(cache.Find("token-9"));
    }

    [Fact]
    public void RevocationFacts_NameSubjectActorsAndKey()
    {
        var cache = new VerifiedTokenCache(time);
        // Header {"alg":"ES256","kid":"k1","typ":"JWT"}; the cache never re-verifies, it only reads what was verified.
        var token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.e30.c2ln";

        var entry = cache.Add(token, Claims(T0.AddMinutes(5), actors: ["spiffe://writ.local/agent/planner"]));

        Assert.Equal("k1", entry.KeyId);
        Assert.Equal(["spiffe://writ.local/agent/research", "spiffe://writ.local/agent/planner"], entry.Agents);
    }

    private static TaskTokenClaims Claims(DateTimeOffset expiresAt, IReadOnlyList<string>? actors = null) => new()
    {
        TaskId = "t-1",
        Jti = "j-1",
        Audience = "https://gateway.test",
        Subject = "spiffe://writ.local/agent/research",
        ActingAgent = "spiffe://writ.local/agent/research",
        AgentName = "research",
        Chain = [],
        Owner = "alice",
        Intent = new TaskIntent("triage", [new ToolGrant("github.search_issues", ["repo:acme/web"])], Sensitivity.Internal, TimeSpan.FromMinutes(10)),
        Attestation = new TaskAttestation("join_token", null),
        IssuedAt = T0,
        ExpiresAt = expiresAt,
        Actors = actors ?? [],
    };

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
