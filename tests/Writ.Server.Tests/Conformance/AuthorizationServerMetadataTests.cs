using System.Net;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Conformance;

/// <summary>RFC 8414 metadata states what the server really accepts (RFC 9396 §10, RFC 9449 §5.1, RFC 8414 §3.1).</summary>
public sealed class AuthorizationServerMetadataTests
{
    private static async Task<JsonElement> MetadataAsync(WritHost host, string path = ".well-known/oauth-authorization-server") =>
        JsonDocument.Parse(await host.Http.GetStringAsync(path, TestContext.Current.CancellationToken)).RootElement;

    private static List<string?> Strings(JsonElement metadata, string name) =>
        [.. metadata.GetProperty(name).EnumerateArray().Select(e => e.GetString())];

    [Fact]
    public async Task Metadata_AdvertisesOnlyAsymmetricDpopAlgorithms()
    {
        await using var host = await WritHost.StartAsync();

        var algorithms = Strings(await MetadataAsync(host), "dpop_signing_alg_values_supported");

        Assert.Contains("ES256", algorithms);
        Assert.DoesNotContain(algorithms, a => a is null || a == "none" || a.StartsWith("HS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_AdvertisesTheWritTaskAuthorizationDetailsType()
    {
        await using var host = await WritHost.StartAsync();

        Assert.Equal(["writ_task"], Strings(await MetadataAsync(host), "authorization_details_types_supported"));
    }

    [Fact]
    public async Task Metadata_ListsTaskTokensAmongSubjectTokenTypes()
    {
        await using var host = await WritHost.StartAsync();

        Assert.Contains(TokenTypes.TaskToken, Strings(await MetadataAsync(host), "writ_subject_token_types_supported"));
    }

    [Fact]
    public async Task IssuerWithPath_MetadataIsServedAfterTheWellKnownPrefix()
    {
        await using var host = await WritHost.StartAsync(issuer: "https://writ.example/tenant-a");

        var metadata = await MetadataAsync(host, ".well-known/oauth-authorization-server/tenant-a");

        Assert.Equal("https://writ.example/tenant-a", metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://writ.example/tenant-a/oauth2/token", metadata.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task OtherPathAfterTheWellKnownPrefix_Returns404()
    {
        await using var host = await WritHost.StartAsync(issuer: "https://writ.example/tenant-a");

        using var response = await host.Http.GetAsync(".well-known/oauth-authorization-server/tenant-b", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task IssuerWithoutPath_HasNoMetadataBelowTheWellKnownPrefix()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.Http.GetAsync(".well-known/oauth-authorization-server/anything", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
