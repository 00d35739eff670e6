using System.Net;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.AuthZen;

/// <summary>Where AuthZEN PDP metadata is found (the well-known prefix, then the PDP identifier's path) and what it says.</summary>
public sealed class PdpMetadataTests
{
    private static async Task<(HttpStatusCode Status, string? Pdp)> GetAsync(WritHost host, string path, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-ID", requestId);
        }

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);
        if (requestId is not null && response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(requestId, response.Headers.GetValues("X-Request-ID").Single());
        }

        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, (await WritHost.JsonAsync(response))["policy_decision_point"]!.GetValue<string>())
            : (response.StatusCode, null);
    }

    [Fact]
    public async Task IssuerWithPath_MetadataIsAtThePrefixFollowedByThePath()
    {
        await using var host = await WritHost.StartAsync(issuer: "https://pdp.example.test/writ");
        await DocsStore.CreateAsync(host);

        var domain = await GetAsync(host, ".well-known/authzen-configuration/writ");
        var store = await GetAsync(host, ".well-known/authzen-configuration/writ/stores/docs");
        var bare = await GetAsync(host, ".well-known/authzen-configuration");
        var wrongPath = await GetAsync(host, ".well-known/authzen-configuration/other");

        Assert.Equal((HttpStatusCode.OK, "https://pdp.example.test/writ"), domain);
        Assert.Equal((HttpStatusCode.OK, "https://pdp.example.test/writ/stores/docs"), store);
        Assert.Equal(HttpStatusCode.NotFound, bare.Status);
        Assert.Equal(HttpStatusCode.NotFound, wrongPath.Status);
    }

    [Fact]
    public async Task UnknownStore_MetadataIs404()
    {
        await using var host = await WritHost.StartAsync();

        var (status, _) = await GetAsync(host, ".well-known/authzen-configuration/stores/missing");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Metadata_EchoesTheRequestId()
    {
        await using var host = await WritHost.StartAsync();

        var (status, pdp) = await GetAsync(host, ".well-known/authzen-configuration", requestId: "meta-1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(host.Issuer.TrimEnd('/'), pdp);
    }
}
