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
        app.MapGet("/.well-known/authzen-configuration", (HttpContext http, IssuerResolver issuer) => AuthZenHandler.WriteMetadataAsync(http, Base(issuer)));
        app.MapGet("/stores/{name}/.well-known/authzen-configuration", (string name, HttpContext http, IssuerResolver issuer, NamedStoreCache stores) => StoreMetadataAsync(http, issuer, stores, name));
        app.MapGet("/.well-known/authzen-configuration/stores/{name}", (string name, HttpContext http, IssuerResolver issuer, NamedStoreCache stores) => StoreMetadataAsync(http, issuer, stores, name));

        app.MapPost("/access/v1/evaluation", (HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, null, batch: false));
        app.MapPost("/access/v1/evaluations", (HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, null, batch: true));
        app.MapPost("/stores/{name}/access/v1/evaluation", (string name, HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, name, batch: false));
        app.MapPost("/stores/{name}/access/v1/evaluations", (string name, HttpContext http, AuthZenHandler handler) => handler.EvaluateAsync(http, name, batch: true));
    }

    public static string Base(IssuerResolver issuer) => issuer.Issuer.TrimEnd('/');

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
