using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Conformance;

/// <summary>
/// The revocation stream as a protected resource: RFC 9449 §7.1–7.2 (a bound token only under DPoP, challenges with
/// <c>algs</c>, <c>invalid_dpop_proof</c>) and RFC 6750 §3 (a 401 always carries WWW-Authenticate).
/// </summary>
public sealed class RevocationStreamDpopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TaskWorld World, ECDsa Key, string Token)> BoundTaskAsync()
    {
        var world = await TaskWorld.StartAsync();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds());
        var token = (await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: proof)))["access_token"]!.GetValue<string>();
        return (world, key, token);
    }

    private static string StreamUrl(TaskWorld world) => world.Host.Issuer + "/revocations/v1/events";

    private static async Task<HttpResponseMessage> OpenAsync(TaskWorld world, string? scheme, string? token, string? proof = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        if (scheme is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return await world.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    private static string Challenge(HttpResponseMessage response) => string.Join(" | ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    [Fact]
    public async Task BoundTaskTokenUnderDpopWithProof_OpensTheStream()
    {
        var (world, key, token) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;

        using var response = await OpenAsync(world, "DPoP", token, TaskWorld.DpopProof(key, StreamUrl(world), "GET", world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BoundTaskTokenSentAsBearer_EvenWithAValidProof_Returns401WithADpopChallenge()
    {
        var (world, key, token) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;

        using var response = await OpenAsync(world, "Bearer", token, TaskWorld.DpopProof(key, StreamUrl(world), "GET", world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("algs=\"ES256", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundTaskTokenSentAsBearerWithoutProof_Returns401InvalidToken()
    {
        var (world, key, token) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;

        using var response = await OpenAsync(world, "Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("DPoP error=\"invalid_token\"", Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundTaskTokenWithAProofForAnotherMethod_Returns401InvalidDpopProof()
    {
        var (world, key, token) = await BoundTaskAsync();
        await using var _ = world;
        using var __ = key;

        using var response = await OpenAsync(world, "DPoP", token, TaskWorld.DpopProof(key, StreamUrl(world), "POST", world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains("error=\"invalid_dpop_proof\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("algs=", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnboundTaskTokenUnderTheDpopScheme_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync("research");

        using var response = await OpenAsync(world, "DPoP", token, TaskWorld.DpopProof(key, StreamUrl(world), "GET", world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), accessToken: token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentials_Returns401ChallengingEveryAcceptedScheme()
    {
        await using var world = await TaskWorld.StartAsync();

        using var response = await OpenAsync(world, null, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var schemes = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
        Assert.Contains("Bearer", schemes);
        Assert.Contains("DPoP", schemes);
        Assert.Contains("Basic", schemes);
        Assert.DoesNotContain("error=", Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAdminToken_Returns401WithInvalidTokenInTheBearerChallenge()
    {
        await using var world = await TaskWorld.StartAsync();

        using var response = await OpenAsync(world, "Bearer", "not-an-admin-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("error=\"invalid_token\"", StringComparison.Ordinal));
    }
}
