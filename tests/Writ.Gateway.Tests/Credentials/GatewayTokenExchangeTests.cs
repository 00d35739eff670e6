using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Credentials;

/// <summary>
/// Downstream-token credentials end to end: the gateway exchanges the agent's task token at Writ's token endpoint
/// (RFC 8693 with <c>resource</c>, RFC 8707) and the upstream receives an RFC 9068 access token for its own audience
/// whose scope is the task's allowed tools for it — never the agent's token. The token is checked here with the BCL's
/// ECDSA against Writ's published JWKS, not with the library Writ signs with.
/// </summary>
public sealed class GatewayTokenExchangeTests : IAsyncLifetime
{
    // Two tools granted for the downstream resource, one granted for another target only: the scope names the two.
    private const string Intent = $$"""[{"type":"writ_task","purpose":"triage","tools":[{"tool":"down.search_issues","targets":["{{CredentialWorld.Resource}}"]},{"tool":"down.list_orgs","targets":["{{CredentialWorld.Resource}}"]},{"tool":"down.delete_repo","targets":["repo:acme/web"]}],"sensitivity":"internal","max_duration":"PT10M"}]""";

    private CredentialWorld world = null!;

    public async ValueTask InitializeAsync() => world = await CredentialWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task AllowedCall_ReachesUpstreamWithRfc9068TokenForItsAudienceScopedToAllowedTools()
    {
        using var gateway = await world.StartGatewayAsync();
        var taskToken = await world.TaskTokenAsync("research", Intent);

        using var response = await CredentialWorld.CallAsync(gateway, "mcp/downstream", FakeUpstream.Call("search_issues"), taskToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var authorization = Assert.Single(world.Upstream.Seen).Authorization;
        Assert.NotNull(authorization);
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        var accessToken = authorization["Bearer ".Length..];
        Assert.NotEqual(taskToken, accessToken);
        Assert.DoesNotContain(taskToken, authorization, StringComparison.Ordinal);

        var (header, payload) = await VerifyAsync(accessToken);
        Assert.Equal("at+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal(world.Issuer.TrimEnd('/'), payload["iss"]!.GetValue<string>().TrimEnd('/'));
        Assert.Equal(CredentialWorld.Resource, payload["aud"]!.GetValue<string>());
        Assert.Equal(["down.list_orgs", "down.search_issues"], payload["scope"]!.GetValue<string>().Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal("spiffe://writ.local/agent/research", payload["sub"]!.GetValue<string>());
        var lifetime = payload["exp"]!.GetValue<long>() - payload["iat"]!.GetValue<long>();
        Assert.InRange(lifetime, 1, 300);
        Assert.False(string.IsNullOrEmpty(payload["jti"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SecondCall_ReusesTheCachedDownstreamToken()
    {
        using var gateway = await world.StartGatewayAsync();
        var taskToken = await world.TaskTokenAsync("research", Intent);

        using (var first = await CredentialWorld.CallAsync(gateway, "mcp/downstream", FakeUpstream.Call("search_issues", id: 1), taskToken))
        using (var second = await CredentialWorld.CallAsync(gateway, "mcp/downstream", FakeUpstream.Call("list_orgs", id: 2), taskToken))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal(2, world.Upstream.Seen.Count);
        Assert.Equal(world.Upstream.Seen[0].Authorization, world.Upstream.Seen[1].Authorization);
    }

    [Fact]
    public async Task TaskGrantedNoToolForTheResource_IsRefusedWith502AndCallsNoUpstream()
    {
        // The call is allowed (its target api:down is in the intent) but no granted tool names the resource, so
        // Writ refuses the exchange and the gateway has no credential to inject.
        const string apiOnly = """[{"type":"writ_task","purpose":"triage","tools":[{"tool":"down.search_issues","targets":["api:down"]}],"sensitivity":"internal","max_duration":"PT10M"}]""";
        using var gateway = await world.StartGatewayAsync();
        var taskToken = await world.TaskTokenAsync("research", apiOnly);

        using var response = await CredentialWorld.CallAsync(gateway, "mcp/downstream-api", FakeUpstream.Call("search_issues"), taskToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("credential.unavailable", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    private async Task<(JsonObject Header, JsonObject Payload)> VerifyAsync(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var jwks = JsonNode.Parse(await world.WritHttp.GetStringAsync(".well-known/jwks.json", TestContext.Current.CancellationToken))!;
        var kid = header["kid"]!.GetValue<string>();
        var jwk = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == kid)!;
        Assert.Equal("EC", jwk["kty"]!.GetValue<string>());
        Assert.Equal("P-256", jwk["crv"]!.GetValue<string>());
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>()), Y = Base64Url.DecodeFromChars(jwk["y"]!.GetValue<string>()) },
        });
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        Assert.True(key.VerifyData(signed, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "the downstream token's signature does not verify against Writ's JWKS");
        return (header, payload);
    }
}
