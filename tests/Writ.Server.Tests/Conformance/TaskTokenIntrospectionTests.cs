using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Conformance;

/// <summary>RFC 7662 answers for task tokens carry what the token says: its act chain (RFC 8693 §4.1), details (RFC 9396 §9.2), key (RFC 9449 §6.2).</summary>
public sealed class TaskTokenIntrospectionTests
{
    private static readonly string Narrow = TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M");

    internal static async Task<JsonElement> IntrospectAsync(WritHost host, string token)
    {
        var client = await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "rs-" + Guid.NewGuid().ToString("N")[..8], authMethod = "client_secret" });
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(client["name"]!.GetValue<string>() + ":" + client["clientSecret"]!.GetValue<string>())));
        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token)], basic);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    [Fact]
    public async Task UndelegatedTaskToken_IntrospectsWithoutAnActClaim()
    {
        await using var world = await TaskWorld.StartAsync();

        var result = await IntrospectAsync(world.Host, await world.TaskTokenAsync("planner"));

        Assert.True(result.GetProperty("active").GetBoolean());
        Assert.Equal("spiffe://writ.local/agent/planner", result.GetProperty("sub").GetString());
        Assert.False(result.TryGetProperty("act", out _));
    }

    [Fact]
    public async Task TwiceDelegatedTaskToken_IntrospectsWithTheNestedActChainOfTheToken()
    {
        await using var world = await TaskWorld.StartAsync();
        var a = await world.TaskTokenAsync("planner");
        var b = (await world.OkAsync(world.DelegateAsync(a, await world.IdentityTokenAsync("coder"), Narrow)))["access_token"]!.GetValue<string>();
        var c = (await world.OkAsync(world.DelegateAsync(b, await world.IdentityTokenAsync("tester"), Narrow)))["access_token"]!.GetValue<string>();

        var result = await IntrospectAsync(world.Host, c);

        Assert.Equal("spiffe://writ.local/agent/planner", result.GetProperty("sub").GetString());
        Assert.Equal(Jwt.DecodePart(c, 1).GetProperty("act").GetRawText(), result.GetProperty("act").GetRawText());
        Assert.Equal("spiffe://writ.local/agent/coder", result.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task TaskToken_IntrospectsWithIssuerAndItsAuthorizationDetails()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("planner");

        var result = await IntrospectAsync(world.Host, token);

        Assert.Equal(world.Host.Issuer, result.GetProperty("iss").GetString());
        Assert.Equal(Jwt.DecodePart(token, 1).GetProperty("authorization_details").GetRawText(), result.GetProperty("authorization_details").GetRawText());
        Assert.Equal("Bearer", result.GetProperty("token_type").GetString());
        Assert.False(result.TryGetProperty("cnf", out _));
    }

    [Fact]
    public async Task DpopBoundTaskToken_IntrospectsWithItsKeyThumbprint()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds());
        var token = (await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: proof)))["access_token"]!.GetValue<string>();

        var result = await IntrospectAsync(world.Host, token);

        Assert.Equal("DPoP", result.GetProperty("token_type").GetString());
        Assert.Equal(TaskWorld.Thumbprint(key), result.GetProperty("cnf").GetProperty("jkt").GetString());
    }
}
