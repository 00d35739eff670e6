using Writ.Core.Identity;
using Writ.Server.Hosting;

namespace Writ.Server.Endpoints;

/// <summary>RFC 8414 authorization server metadata.</summary>
internal static class MetadataEndpoints
{
    private static readonly string[] ClientAuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] RevocationAuthMethods = ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] GrantTypes = [TokenTypes.TokenExchangeGrant, TokenTypes.JwtBearerGrant];
    private static readonly string[] TokenEndpointAuthMethods = ["none"];
    private static readonly string[] SubjectTokenTypes = [TokenTypes.JoinToken, TokenTypes.Jwt, TokenTypes.IdToken];
    private static readonly string[] IdentityTokenAlgorithms = ["ES256"];

    public static void Map(WebApplication app) =>
        app.MapGet("/.well-known/oauth-authorization-server", (IssuerResolver issuer, HttpResponse response) =>
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
                ["writ_subject_token_types_supported"] = SubjectTokenTypes,
                ["writ_issued_token_type"] = TokenTypes.Jwt,
                ["writ_spiffe_bundle_endpoint"] = issuer.BundleUri,
                ["writ_identity_token_signing_alg_values_supported"] = IdentityTokenAlgorithms,
            });
        });
}
