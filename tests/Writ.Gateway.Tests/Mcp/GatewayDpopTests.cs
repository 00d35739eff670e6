using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>Key-bound task tokens (cnf.jkt) need a DPoP proof from the bound key on every request.</summary>
public sealed class GatewayDpopTests : IAsyncLifetime
{
    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task BoundTokenWithProof_IsForwarded()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync(dpopKey: key);

        using var response = await SendAsync(token, "DPoP", DpopProofs.Create(key, "POST", Url(), token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(world.Upstream.Seen).Dpop);
    }

    [Fact]
    public async Task BoundTokenAsBearerWithoutProof_IsRejectedWith401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync(dpopKey: key);

        using var response = await SendAsync(token, "Bearer", proof: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task BoundTokenWithProofFromAnotherKey_IsRejectedWith401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync(dpopKey: key);

        using var response = await SendAsync(token, "DPoP", DpopProofs.Create(other, "POST", Url(), token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_dpop_proof", string.Join(' ', response.Headers.WwwAuthenticate), StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task ReplayedProof_IsRejectedWith401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync(dpopKey: key);
        var proof = DpopProofs.Create(key, "POST", Url(), token);
        using (var first = await SendAsync(token, "DPoP", proof))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replayed = await SendAsync(token, "DPoP", proof);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Single(world.Upstream.Seen);
    }

    private string Url() => world.Http.BaseAddress!.AbsoluteUri + "mcp/github";

    private async Task<HttpResponseMessage> SendAsync(string token, string scheme, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp/github")
        {
            Content = new StringContent(FakeUpstream.Call("search_issues", new { repository = "acme/web" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return await world.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
