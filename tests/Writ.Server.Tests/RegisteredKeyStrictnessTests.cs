using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

/// <summary>
/// The registered-key hot path reads assertions with the BCL and records jtis by group commit: concurrent
/// requests, duplicate JSON members, tampering and odd encodings must all still end as before.
/// </summary>
public sealed class RegisteredKeyStrictnessTests
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

    private static Task<HttpResponseMessage> PresentAsync(WritHost host, string assertion) =>
        host.TokenAsync(("grant_type", TokenTypes.JwtBearerGrant), ("assertion", assertion), ("audience", Audience));

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>Signs exactly the given header and payload text, so JSON the serializers would never write can be tested.</summary>
    private static string SignRaw(ECDsa key, string headerJson, string payloadJson)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    private static string Payload(WritHost host, string jti, string? extra = null)
    {
        var now = host.Time.GetUtcNow().ToUnixTimeSeconds();
        return $"{{\"iss\":\"{SpiffeId}\",\"sub\":\"{SpiffeId}\",\"aud\":\"{host.TokenEndpoint}\",\"iat\":{now},\"exp\":{now + 120},\"jti\":\"{jti}\"{extra}}}";
    }

    private static async Task<string> InvalidGrantDescriptionAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await WritHost.JsonAsync(response);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        return body["error_description"]!.GetValue<string>();
    }

    private static async Task AssertJtiStillUnusedAsync(WritHost host, AgentKey key, string jti)
    {
        using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: jti)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConcurrentIdenticalJti_OnlyOneIsIssued()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertion = key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "raced"));

            var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PresentAsync(host, assertion)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                Assert.Contains("already been used", await InvalidGrantDescriptionAsync(refused), StringComparison.Ordinal);
            }

            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task ConcurrentDistinctAssertions_AreAllIssued_AndEachJtiIsSpent()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertions = Enumerable.Range(0, 40)
                .Select(i => key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "burst-" + i)))
                .ToList();

            var first = await Task.WhenAll(assertions.Select(a => PresentAsync(host, a)));
            Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

            // Every answer above left only after its jti was committed, so each replay is refused.
            var replays = await Task.WhenAll(assertions.Select(a => PresentAsync(host, a)));
            Assert.All(replays, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));

            foreach (var response in first.Concat(replays))
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task IssuedToken_HasExactlyTheJwtSvidHeader()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var token = (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>();

            var header = Jwt.DecodePart(token, 0);
            Assert.Equal(["alg", "kid", "typ"], header.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("ES256", header.GetProperty("alg").GetString());
            Assert.Equal("JWT", header.GetProperty("typ").GetString());
            var jwks = await host.JwksAsync();
            Assert.Contains(header.GetProperty("kid").GetString()!, jwks.Json, StringComparison.Ordinal);
            Assert.Equal(64, Base64Url.DecodeFromChars(token.Split('.')[2]).Length);
        }
    }

    [Fact]
    public async Task DuplicateHeaderMember_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertion = SignRaw(key.Key, "{\"alg\":\"ES256\",\"kid\":\"builder-key-1\",\"alg\":\"none\"}", Payload(host, "dup-header"));

            using var response = await PresentAsync(host, assertion);

            Assert.Contains("well-formed", await InvalidGrantDescriptionAsync(response), StringComparison.Ordinal);
            await AssertJtiStillUnusedAsync(host, key, "dup-header");
        }
    }

    [Fact]
    public async Task DuplicateClaim_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var assertion = SignRaw(key.Key, "{\"alg\":\"ES256\",\"kid\":\"builder-key-1\"}", Payload(host, "dup-claim", ",\"aud\":\"https://elsewhere.example\""));

            using var response = await PresentAsync(host, assertion);

            Assert.Contains("well-formed", await InvalidGrantDescriptionAsync(response), StringComparison.Ordinal);
            await AssertJtiStillUnusedAsync(host, key, "dup-claim");
        }
    }

    [Fact]
    public async Task TamperedPayload_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var genuine = key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "tampered"));
            var parts = genuine.Split('.');
            var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
            claims["exp"] = JsonSerializer.SerializeToElement(host.Time.GetUtcNow().AddMinutes(4).ToUnixTimeSeconds());
            var forged = parts[0] + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims)) + "." + parts[2];

            using var response = await PresentAsync(host, forged);

            Assert.Contains("signature", await InvalidGrantDescriptionAsync(response), StringComparison.Ordinal);
            await AssertJtiStillUnusedAsync(host, key, "tampered");
        }
    }

    [Fact]
    public async Task DerEncodedSignature_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var input = B64("{\"alg\":\"ES256\",\"kid\":\"builder-key-1\"}") + "." + B64(Payload(host, "der"));
            var der = key.Key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

            using var response = await PresentAsync(host, input + "." + Base64Url.EncodeToString(der));

            Assert.Contains("signature", await InvalidGrantDescriptionAsync(response), StringComparison.Ordinal);
            await AssertJtiStillUnusedAsync(host, key, "der");
        }
    }

    [Theory]
    [InlineData("padded")]
    [InlineData("whitespace")]
    [InlineData("four-parts")]
    [InlineData("impossible-length")]
    public async Task NonCompactEncoding_IsRejected(string variant)
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var genuine = key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow(), jti: "enc-" + variant));
            var parts = genuine.Split('.');
            var mangled = variant switch
            {
                "padded" => parts[0] + "." + parts[1] + "." + parts[2] + "==",
                "whitespace" => parts[0] + "." + parts[1][..10] + " " + parts[1][10..] + "." + parts[2],
                "four-parts" => genuine + "." + parts[2],
                _ => parts[0] + "A." + parts[1] + "." + parts[2],
            };

            using var response = await PresentAsync(host, mangled);

            await InvalidGrantDescriptionAsync(response);
            await AssertJtiStillUnusedAsync(host, key, "enc-" + variant);
        }
    }

    [Fact]
    public async Task NumericJti_IsRejected()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var now = host.Time.GetUtcNow().ToUnixTimeSeconds();
            var payload = $"{{\"iss\":\"{SpiffeId}\",\"sub\":\"{SpiffeId}\",\"aud\":\"{host.TokenEndpoint}\",\"iat\":{now},\"exp\":{now + 120},\"jti\":12345}}";

            using var response = await PresentAsync(host, SignRaw(key.Key, "{\"alg\":\"ES256\",\"kid\":\"builder-key-1\"}", payload));

            await InvalidGrantDescriptionAsync(response);
        }
    }

    [Fact]
    public async Task AudienceArrayContainingTokenEndpoint_IsAccepted()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            var claims = AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow());
            claims["aud"] = new[] { "https://other.example", host.TokenEndpoint };

            using var response = await PresentAsync(host, key.Sign(claims));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task TokenResponse_IsUncachedJson_WithExactlyTheTokenFields()
    {
        var (host, key) = await SetUpAsync();
        await using var _ = host;
        using (key)
        {
            using var response = await PresentAsync(host, key.Sign(AgentKey.Claims(SpiffeId, host.TokenEndpoint, host.Time.GetUtcNow())));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
            var body = await WritHost.JsonAsync(response);
            Assert.Equal(["access_token", "expires_in", "issued_token_type", "token_type"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(TokenTypes.Jwt, body["issued_token_type"]!.GetValue<string>());
            Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
            Assert.Equal(300, body["expires_in"]!.GetValue<int>());
            Assert.Equal(response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        }
    }
}
