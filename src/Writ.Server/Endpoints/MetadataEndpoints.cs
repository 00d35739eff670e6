using Writ.Core.Identity;
using Writ.Core.Tasks;
using Writ.Server.Hosting;

namespace Writ.Server.Endpoints;

/// <summary>RFC 8414 authorization server metadata.</summary>
internal static class MetadataEndpoints
{
    private static readonly string[] ClientAuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] RevocationAuthMethods = ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] GrantTypes = [TokenTypes.TokenExchangeGrant, TokenTypes.JwtBearerGrant];
    private static readonly string[] TokenEndpointAuthMethods = ["none"];
    private static readonly string[] SubjectTokenTypes = [TokenTypes.JoinToken, TokenTypes.Jwt, TokenTypes.IdToken, TokenTypes.TaskToken];
    private static readonly string[] AuthorizationDetailsTypes = [TaskIntent.Type];
    private static readonly string[] IdentityTokenAlgorithms = ["ES256"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/.well-known/oauth-authorization-server", (IssuerResolver issuer, HttpResponse response) => Metadata(issuer, response));

        // RFC 8414 §3.1: an issuer with a path has its metadata at the well-known prefix followed by that path.
        app.MapGet("/.well-known/oauth-authorization-server/{**path}", (string path, IssuerResolver issuer, HttpResponse response) =>
            IssuerPath(issuer.Issuer) is { Length: > 0 } issuerPath && string.Equals("/" + path.TrimEnd('/'), issuerPath, StringComparison.Ordinal)
                ? Metadata(issuer, response)
                : Results.NotFound());
    }

    private static string IssuerPath(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : string.Empty;

    private static IResult Metadata(IssuerResolver issuer, HttpResponse response)
    {
        response.Headers.CacheControl = "public, max-age=300";
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["token_endpoint"] = issuer.TokenEndpoint,
            ["introspection_endpoint"] = issuer.IntrospectionEndpoint,
            ["revocation_endpoint"] = issuer.RevocationEndpoint,
            ["jwks_uri"] = issuer.JwksUri,
            ["response_types_supported"] = Array.Empty<string>(),
            ["grant_types_supported"] = GrantTypes,
            // Agents authenticate by attestation in the grant itself, not as OAuth clients.
            ["token_endpoint_auth_methods_supported"] = TokenEndpointAuthMethods,
            ["introspection_endpoint_auth_methods_supported"] = ClientAuthMethods,
            ["introspection_endpoint_auth_signing_alg_values_supported"] = AssertionAlgorithms.Supported,
            ["revocation_endpoint_auth_methods_supported"] = RevocationAuthMethods,
            ["revocation_endpoint_auth_signing_alg_values_supported"] = AssertionAlgorithms.Supported,

            // RFC 9396 §10: tasks declare their intent as authorization details of this type.
            ["authorization_details_types_supported"] = AuthorizationDetailsTypes,

            // RFC 9449 §5.1: task requests may bind the task token to a DPoP key.
            ["dpop_signing_alg_values_supported"] = DpopProofValidator.SupportedAlgorithms,
            ["writ_subject_token_types_supported"] = SubjectTokenTypes,
            ["writ_issued_token_type"] = TokenTypes.Jwt,
            ["writ_spiffe_bundle_endpoint"] = issuer.BundleUri,
            ["writ_identity_token_signing_alg_values_supported"] = IdentityTokenAlgorithms,
        });
    }
}
