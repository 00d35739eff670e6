using System.Text;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Inbound;

/// <summary>RFC 9728 protected resource metadata and the RFC 6750 / RFC 9449 challenges that point to it.</summary>
internal sealed class ProtectedResource(GatewaySettings settings)
{
    // The algorithms the shared proof validator accepts, so what is advertised cannot drift from what is checked.
    private static readonly IReadOnlyList<string> DpopAlgorithms = DpopProofValidator.SupportedAlgorithms;

    /// <summary>The gateway's public base URL: configured, else the request's scheme and host.</summary>
    public string BaseUrl(HttpRequest request) => settings.PublicUrl ?? (request.Scheme + "://" + request.Host.Value);

    /// <summary>The URL the agent used (for DPoP <c>htu</c>): base URL and path, no query.</summary>
    public string RequestUrl(HttpRequest request) => BaseUrl(request) + request.PathBase.Value + request.Path.Value;

    public string MetadataUrl(HttpRequest request, string routePath) => BaseUrl(request) + "/.well-known/oauth-protected-resource" + routePath;

    public IResult Metadata(HttpRequest request, string routePath) => Results.Json(new ResourceMetadata(
        BaseUrl(request) + routePath,
        [settings.Issuer.AbsoluteUri.TrimEnd('/')],
        ["header"],
        DpopAlgorithms,
        "Writ gateway"));

    /// <summary>Answers 401 with the challenge (and 403 never: a refused call is a JSON-RPC error, not an HTTP one).</summary>
    public Task ChallengeAsync(HttpContext context, string routePath, InboundResult result)
    {
        var header = new StringBuilder("Bearer resource_metadata=\"").Append(MetadataUrl(context.Request, routePath)).Append('"');
        if (result.Error is not null)
        {
            header.Append(", error=\"").Append(result.Error).Append('"');
            header.Append(", error_description=\"").Append(Quote(result.Description ?? string.Empty)).Append('"');
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.Append("WWW-Authenticate", header.ToString());
        if (result.Dpop)
        {
            context.Response.Headers.Append("WWW-Authenticate", "DPoP algs=\"" + string.Join(' ', DpopAlgorithms) + "\"" + (result.Error is null ? string.Empty : ", error=\"" + result.Error + "\""));
        }

        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new { error = result.Error ?? "invalid_token", error_description = result.Description ?? "a Writ task token for this gateway is required" }, context.RequestAborted);
    }

    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);

    internal sealed record ResourceMetadata(
        [property: System.Text.Json.Serialization.JsonPropertyName("resource")] string Resource,
        [property: System.Text.Json.Serialization.JsonPropertyName("authorization_servers")] string[] AuthorizationServers,
        [property: System.Text.Json.Serialization.JsonPropertyName("bearer_methods_supported")] string[] BearerMethods,
        [property: System.Text.Json.Serialization.JsonPropertyName("dpop_signing_alg_values_supported")] IReadOnlyList<string> DpopAlgorithms,
        [property: System.Text.Json.Serialization.JsonPropertyName("resource_name")] string ResourceName);
}
