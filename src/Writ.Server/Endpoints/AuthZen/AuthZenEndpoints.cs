using Writ.Core.Policy;
using Writ.Server.Hosting;

namespace Writ.Server.Endpoints.AuthZen;

/// <summary>
/// The OpenID AuthZEN Authorization API 1.0 over Writ's own policy set (<c>/access/v1/…</c>) and over each named
/// policy store (<c>/stores/{name}/access/v1/…</c>), with their PDP metadata (docs/reference/authzen.md).
/// </summary>
internal static class AuthZenEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/.well-known/authzen-configuration", (HttpContext http, IssuerResolver issuer) =>
            IssuerPath(issuer).Length == 0 ? AuthZenHandler.WriteMetadataAsync(http, Base(issuer)) : NotFoundAsync(http));
        app.MapGet("/stores/{name}/.well-known/authzen-configuration", (string name, HttpContext http, IssuerResolver issuer, NamedStoreCache stores) => StoreMetadataAsync(http, issuer, stores, name));

        // The metadata of a PDP whose identifier has a path is at the well-known prefix followed by that path
        // (AuthZEN 1.0 §11.2, as RFC 8414 §3.1): <issuer path> for Writ's domain, <issuer path>/stores/<name> for a store.
        app.MapGet("/.well-known/authzen-configuration/{**path}", (string path, HttpContext http, IssuerResolver issuer, NamedStoreCache stores) =>
        {
            var rest = "/" + path.TrimEnd('/');
            var issuerPath = IssuerPath(issuer);
            if (issuerPath.Length > 0 && string.Equals(rest, issuerPath, StringComparison.Ordinal))
            {
                return AuthZenHandler.WriteMetadataAsync(http, Base(issuer));
            }

            var prefix = issuerPath + "/stores/";
            return rest.StartsWith(prefix, StringComparison.Ordinal) && rest[prefix.Length..] is { Length: > 0 } name && !name.Contains('/', StringComparison.Ordinal)
                ? StoreMetadataAsync(http, issuer, stores, name)
                : NotFoundAsync(http);
        });

        app.MapPost("/access/v1/evaluation", (HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, null, batch: false));
        app.MapPost("/access/v1/evaluations", (HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, null, batch: true));
        app.MapPost("/stores/{name}/access/v1/evaluation", (string name, HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, name, batch: false));
        app.MapPost("/stores/{name}/access/v1/evaluations", (string name, HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, name, batch: true));
    }

    public static string Base(IssuerResolver issuer) => issuer.Issuer.TrimEnd('/');

    private static string IssuerPath(IssuerResolver issuer) =>
        Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : string.Empty;

    private static Task NotFoundAsync(HttpContext http) =>
        AuthZenHandler.WriteErrorAsync(http, StatusCodes.Status404NotFound, "no PDP metadata here; the PDP identifiers are the issuer and <issuer>/stores/<name>");

    private static Task StoreMetadataAsync(HttpContext http, IssuerResolver issuer, NamedStoreCache stores, string name) =>
        stores.Get(name) is null
            ? AuthZenHandler.WriteErrorAsync(http, StatusCodes.Status404NotFound, $"there is no policy store named '{name}'")
            : AuthZenHandler.WriteMetadataAsync(http, Base(issuer) + "/stores/" + name);
}

/// <summary>Registers the AuthZEN services.</summary>
internal static class AuthZenSetup
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<Writ.Core.Policy.AuthZen.WritDomainDecider>();
        services.AddSingleton<PdpAuthenticator>();
        services.AddSingleton<AuthZenHandler>();
    }
}
