using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

/// <summary>
/// Task complete and cancel take the task token as every agent endpoint does: a DPoP-bound token only under the DPoP
/// scheme with a proof of its key (RFC 9449 §7.1, §7.2), an unbound one only as Bearer.
/// </summary>
public sealed class TaskEndTokenSchemeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TaskWorld World, string Token, ECDsa Key)> BoundTaskAsync()
    {
        var world = await TaskWorld.StartAsync();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now)));
        Assert.Equal("DPoP", body["token_type"]!.GetValue<string>());
        return (world, body["access_token"]!.GetValue<string>(), key);
    }

    private static async Task<HttpResponseMessage> EndAsync(TaskWorld world, string path, string token, string scheme, string? dpop = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        return await world.Host.Http.SendAsync(request, Ct);
    }

    private static async Task<string> TaskStateAsync(TaskWorld world, string token) =>
        (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + (await world.ClaimsAsync(token)).TaskId))["state"]!.GetValue<string>();

    [Theory]
    [InlineData("/tasks/v1/complete")]
    [InlineData("/tasks/v1/cancel")]
    public async Task DpopBoundTaskTokenSentAsBearer_IsRefusedWithTheDpopChallenge_AndTheTaskStaysActive(string path)
    {
        var (world, token, key) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;
        var proof = TaskWorld.DpopProof(key, world.Host.Issuer.TrimEnd('/') + path, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token);

        // Even with a valid proof alongside, the Bearer scheme is a downgrade and is refused.
        using var withoutProof = await EndAsync(world, path, token, "Bearer");
        using var withProof = await EndAsync(world, path, token, "Bearer", proof);

        foreach (var response in new[] { withoutProof, withProof })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("DPoP", challenge.Scheme);
            Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
            Assert.Contains("algs=", challenge.Parameter, StringComparison.Ordinal);
            Assert.Equal("invalid_token", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>());
        }

        Assert.Equal("active", await TaskStateAsync(world, token));
    }

    [Theory]
    [InlineData("/tasks/v1/complete", "completed")]
    [InlineData("/tasks/v1/cancel", "cancelled")]
    public async Task DpopBoundTaskTokenWithAValidProof_EndsTheTask(string path, string state)
    {
        var (world, token, key) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;
        var proof = TaskWorld.DpopProof(key, world.Host.Issuer.TrimEnd('/') + path, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token);

        using var response = await EndAsync(world, path, token, "DPoP", proof);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(state, (await WritHost.JsonAsync(response))["state"]!.GetValue<string>());
        Assert.Equal(state, await TaskStateAsync(world, token));
    }

    [Theory]
    [InlineData("/tasks/v1/complete")]
    [InlineData("/tasks/v1/cancel")]
    public async Task UnboundTaskTokenSentAsDpop_IsRefusedWithTheBearerChallenge_AndTheTaskStaysActive(string path)
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TaskWorld.DpopProof(key, world.Host.Issuer.TrimEnd('/') + path, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token);

        using var response = await EndAsync(world, path, token, "DPoP", proof);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("active", await TaskStateAsync(world, token));
    }
}
