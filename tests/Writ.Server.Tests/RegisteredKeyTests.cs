using System.Net;
using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class RegisteredKeyTests
{
    private const string Audience = "https://tools.example";
    private const string SpiffeId = "spiffe://writ.local/agent/builder";

    private static async Task<(WritHost Host, AgentKey Key)> SetUpAsync()
    {
        var host = await WritHost.StartAsync();
        var key = new AgentKey("builder-key-1");
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("builder", "alice", publicKeys: new[] { key.PublicJwk });
        return (host, key);
    }

    private static Task<HttpResponseMessage> PresentAsync(WritHost host, string assertion, string audience = Audience) =>
        host.TokenAsync(("grant_type", TokenTypes.JwtBearerGrant), ("assertion", assertion), ("audience", audience));

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response, string? descriptionContains = null)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await WritHost.JsonAsync(response);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        if (descriptionContains is not null)
        {
            Assert.Contains(descriptionContains, body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    /// <summary>A refused assertion must not record its jti: the same jti then works in a valid assertion.</summary>
    private static async Task AssertJtiStillUnusedAsync(WritHost host, AgentKey key, string jti)
    {
        using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: jti)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RegisteredKeyAssertion_IssuesJwtSvid()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            var payload = await IdentityTokens.VerifyAsync(host, IdentityTokens.AccessToken(body), SpiffeId, Audience);
            Assert.Equal("registered_key", payload.GetProperty("writ_attestation").GetProperty("method").GetString());
        }
    }

    [Fact]
    public async Task AssertionWithIssuerAsAudience_IsAccepted()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.Issuer, host.Time.GetUtcNow())));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ReplayedAssertion_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertion = key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow()));
            using var first = await PresentAsync(host, assertion);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

            using var second = await PresentAsync(host, assertion);

            await AssertInvalidGrantAsync(second, "already been used");
        }
    }

    [Fact]
    public async Task OneAssertionPresentedConcurrently_IssuesExactlyOneToken_AndTheReplaysAreRecordedRefused()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertion = key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "race-1"));

            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PresentAsync(host, assertion)));

            try
            {
                Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
                foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                {
                    await AssertInvalidGrantAsync(refused, "already been used");
                }

                var ct = TestContext.Current.CancellationToken;
                Assert.Single(await host.Store.Audit.SearchAsync(new AuditQuery { Type = AuditEventTypes.IdentityIssued }, ct));
                var refusals = await host.Store.Audit.SearchAsync(new AuditQuery { Type = AuditEventTypes.IdentityRefused }, ct);
                Assert.Equal(7, refusals.Count(r => AuditRecordEncoding.Decode(r.Canonical).Reason!.Contains("replayed", StringComparison.Ordinal)));
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task AlgNoneAssertion_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "none-1");

            using var response = await PresentAsync(host, Jwt.Unsigned(key.Header("none"), claims));

            await AssertInvalidGrantAsync(response, "alg none");
            await AssertJtiStillUnusedAsync(host, key, "none-1");
        }
    }

    [Fact]
    public async Task HS256SignedWithPublicKey_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "hs-1");

            using var response = await PresentAsync(host, Jwt.Hs256(key.PublicKeyBytes, key.Header("HS256"), claims));

            await AssertInvalidGrantAsync(response, "HS256");
            await AssertJtiStillUnusedAsync(host, key, "hs-1");
        }
    }

    [Theory]
    [InlineData("x5u", "https://attacker.example/cert.pem")]
    [InlineData("x5c", "MIIBkTCB+wIJAK")]
    [InlineData("crit", "exp")]
    public async Task X5uX5cOrCritHeader_IsRejected(string header, string value)
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var withHeader = key.Header();
            withHeader[header] = value;

            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow()), withHeader));

            await AssertInvalidGrantAsync(response, header);
        }
    }

    [Fact]
    public async Task JkuHeader_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var header = key.Header();
            header["jku"] = "https://attacker.example/jwks.json";

            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow()), header));

            await AssertInvalidGrantAsync(response, "jku");
        }
    }

    [Fact]
    public async Task EmbeddedJwkHeader_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        using (var attacker = new AgentKey("builder-key-1"))
        {
            // The attacker signs with its own key and embeds that key, hoping it is trusted.
            var header = attacker.Header();
            header["jwk"] = attacker.PublicJwk;

            using var response = await PresentAsync(host, attacker.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow()), header));

            await AssertInvalidGrantAsync(response, "jwk");
        }
    }

    [Fact]
    public async Task UnknownKid_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        using (var other = new AgentKey("not-registered"))
        {
            using var response = await PresentAsync(host, other.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "kid-1")));

            await AssertInvalidGrantAsync(response, "kid");
            await AssertJtiStillUnusedAsync(host, key, "kid-1");
        }
    }

    [Fact]
    public async Task SignatureByOtherKeyWithRegisteredKid_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        using (var attacker = new AgentKey("builder-key-1"))
        {
            using var response = await PresentAsync(host, attacker.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "forged-1")));

            await AssertInvalidGrantAsync(response, "signature");
            await AssertJtiStillUnusedAsync(host, key, "forged-1");
        }
    }

    [Fact]
    public async Task ExpiredAssertion_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow() - TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(2), jti: "old-1");

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "expired");
            await AssertJtiStillUnusedAsync(host, key, "old-1");
        }
    }

    [Fact]
    public async Task NotYetValidAssertion_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims["nbf"] = (host.Time.GetUtcNow() + TimeSpan.FromMinutes(2)).ToUnixTimeSeconds();

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "not yet valid");
        }
    }

    [Fact]
    public async Task AssertionIssuedInTheFuture_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow() + TimeSpan.FromMinutes(2));

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "future");
        }
    }

    [Fact]
    public async Task AssertionLivingLongerThanFiveMinutes_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), TimeSpan.FromMinutes(30), jti: "long-1");

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "at most 5 minutes");
            await AssertJtiStillUnusedAsync(host, key, "long-1");
        }
    }

    [Fact]
    public async Task AssertionWithoutExp_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims.Remove("exp");

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "exp");
        }
    }

    [Fact]
    public async Task AssertionWithoutJti_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims.Remove("jti");

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "jti");
        }
    }

    [Fact]
    public async Task WrongAudience_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, "https://other-writ.example/oauth2/token", host.Time.GetUtcNow(), jti: "aud-1");

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "aud");
            await AssertJtiStillUnusedAsync(host, key, "aud-1");
        }
    }

    [Fact]
    public async Task IssuerDifferentFromSubject_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims["sub"] = "spiffe://writ.local/agent/someone-else";

            using var response = await PresentAsync(host, key.Sign(claims));

            await AssertInvalidGrantAsync(response, "'sub'");
        }
    }

    [Fact]
    public async Task OtherTrustDomain_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims("spiffe://evil.test/agent/builder", host.TokenEndpoint, host.Time.GetUtcNow())));

            await AssertInvalidGrantAsync(response, "trust domain");
        }
    }

    [Fact]
    public async Task SuspendedAgent_GetsNoToken()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            await host.AdminOkAsync(HttpMethod.Post, "agents/builder/suspend");

            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "susp-1")));

            await AssertInvalidGrantAsync(response, "suspended");
            await host.AdminOkAsync(HttpMethod.Post, "agents/builder/resume");
            await AssertJtiStillUnusedAsync(host, key, "susp-1");
        }
    }

    [Fact]
    public async Task UnknownAgent_GetsNoToken()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims("spiffe://writ.local/agent/ghost", host.TokenEndpoint, host.Time.GetUtcNow())));

            await AssertInvalidGrantAsync(response, "not registered");
        }
    }

    [Fact]
    public async Task AgentWithoutRegisteredKeyMethod_GetsNoToken()
    {
        await using var host = await WritHost.StartAsync();
        using var key = new AgentKey("k1");
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("builder", "alice", publicKeys: new[] { key.PublicJwk }, methods: ["join_token"]);

        using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

        await AssertInvalidGrantAsync(response, "registered_key");
    }

    [Fact]
    public async Task KeyAddedLater_IsAccepted()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        using (var second = new AgentKey("builder-key-2"))
        {
            await host.AdminOkAsync(HttpMethod.Post, "agents/builder/keys", new { jwk = second.PublicJwk });

            using var response = await PresentAsync(host, second.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ConfiguredLifetime_IsUsed()
    {
        await using var host = await WritHost.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(15));
        using var key = new AgentKey("k1");
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("builder", "alice", publicKeys: new[] { key.PublicJwk });

        using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

        var body = await WritHost.JsonAsync(response);
        Assert.Equal(900, body["expires_in"]!.GetValue<int>());
        var payload = Jwt.DecodePart(body["access_token"]!.GetValue<string>(), 1);
        Assert.Equal(900, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task RemovedKey_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var agent = await host.AdminOkAsync(HttpMethod.Delete, "agents/builder/keys/builder-key-1");

            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

            Assert.Empty(agent["publicKeys"]!.AsArray());
            await AssertInvalidGrantAsync(response, "kid");
        }
    }

    [Theory]
    [InlineData("iss", 12345)]
    [InlineData("sub", true)]
    [InlineData("exp", "tomorrow")]
    [InlineData("iat", "now")]
    [InlineData("nbf", "soon")]
    [InlineData("jti", 42)]
    [InlineData("aud", 7)]
    public async Task WronglyTypedClaim_IsRejectedCleanly(string claim, object value)
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims[claim] = value;

            using var response = await PresentAsync(host, key.Sign(claims));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task NonJsonPayload_IsRejectedCleanly()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var header = System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key.Header()));
            var payload = System.Buffers.Text.Base64Url.EncodeToString("not json at all"u8);
            var input = header + "." + payload;
            var signature = System.Buffers.Text.Base64Url.EncodeToString(key.Key.SignData(System.Text.Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256));

            using var response = await PresentAsync(host, input + "." + signature);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
        }
    }
}
