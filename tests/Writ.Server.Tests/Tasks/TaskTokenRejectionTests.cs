using System.Net;
using Writ.Core.Tasks;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

public sealed class TaskTokenRejectionTests
{
    private static async Task<(TaskWorld World, string Token, Dictionary<string, object?> Payload)> SetUpAsync()
    {
        var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var payload = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(Jwt.DecodePart(token, 1).GetRawText())!;
        return (world, token, payload);
    }

    private static async Task AssertRejectedAsync(TaskWorld world, string token)
    {
        var validator = (TaskTokenValidator)world.Host.App.Services.GetService(typeof(TaskTokenValidator))!;
        var validated = await validator.ValidateAsync(token, TaskWorld.Gateway, TestContext.Current.CancellationToken);
        Assert.Null(validated.Claims);
        using var response = await world.CompleteAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlteredTaskToken_IsRejected()
    {
        var (world, token, payload) = await SetUpAsync();
        await using var _ = world;
        payload["authorization_details"] = System.Text.Json.JsonDocument.Parse(TaskWorld.Intent("""[{"tool":"github.delete_repo","targets":["repo:acme/web"]}]""")).RootElement;
        var parts = token.Split('.');
        var altered = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(payload)) + "." + parts[2];

        await AssertRejectedAsync(world, altered);
    }

    [Fact]
    public async Task ForgedTaskToken_IsRejected()
    {
        var (world, _, payload) = await SetUpAsync();
        await using var __ = world;
        using var attacker = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var kid = Jwt.DecodePart(await world.TaskTokenAsync(), 0).GetProperty("kid").GetString();

        await AssertRejectedAsync(world, Jwt.Es256(attacker, new Dictionary<string, object?> { ["alg"] = "ES256", ["typ"] = "writ-task+jwt", ["kid"] = kid }, payload));
    }

    [Fact]
    public async Task TaskTokenWithWrongTyp_IsRejected()
    {
        var (world, _, payload) = await SetUpAsync();
        await using var __ = world;

        await AssertRejectedAsync(world, await world.SignWithWritKeyAsync(new Dictionary<string, object?> { ["alg"] = "ES256", ["typ"] = "JWT" }, payload));
    }

    [Fact]
    public async Task IdentityToken_IsNotATaskToken()
    {
        await using var world = await TaskWorld.StartAsync();

        await AssertRejectedAsync(world, await world.IdentityTokenAsync("research"));
    }

    [Fact]
    public async Task TaskTokenForAnotherAudience_IsRejected()
    {
        var (world, _, payload) = await SetUpAsync();
        await using var __ = world;
        payload["aud"] = "https://other-gateway.test";
        var other = await world.SignWithWritKeyAsync(new Dictionary<string, object?> { ["alg"] = "ES256", ["typ"] = "writ-task+jwt" }, payload);

        await AssertRejectedAsync(world, other);
    }

    [Fact]
    public async Task UnsignedTaskToken_IsRejected()
    {
        var (world, _, payload) = await SetUpAsync();
        await using var __ = world;

        await AssertRejectedAsync(world, Jwt.Unsigned(new Dictionary<string, object?> { ["alg"] = "none", ["typ"] = "writ-task+jwt" }, payload));
    }

    [Fact]
    public async Task TaskTokenWithoutToken_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        using var response = await world.Host.Http.PostAsync("tasks/v1/complete", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CompletingTwice_Returns409()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        using (var first = await world.CompleteAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("completed", (await WritHost.JsonAsync(first))["state"]!.GetValue<string>());
        }

        using var second = await world.CompleteAsync(token);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task DpopBoundTaskToken_CompletesOnlyWithAProofOfItsKey()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now)));
        var token = body["access_token"]!.GetValue<string>();
        var endpoint = world.Host.Issuer.TrimEnd('/') + "/tasks/v1/complete";

        using (var noProof = await world.CompleteAsync(token, "DPoP"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noProof.StatusCode);
        }

        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using (var wrongKey = await world.CompleteAsync(token, "DPoP", TaskWorld.DpopProof(other, endpoint, iat: now, accessToken: token)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        }

        using var ok = await world.CompleteAsync(token, "DPoP", TaskWorld.DpopProof(key, endpoint, iat: now, accessToken: token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
