namespace Writ.Core.Identity;

/// <summary>The grant types and token type URIs the token service speaks.</summary>
public static class TokenTypes
{
    /// <summary>RFC 8693 token exchange grant.</summary>
    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>RFC 7523 JWT bearer grant.</summary>
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>Writ's subject token type for one-time join tokens.</summary>
    public const string JoinToken = "urn:writ:params:oauth:token-type:join-token";

    /// <summary>RFC 8693 JWT token type; also the issued token type of identity tokens.</summary>
    public const string Jwt = "urn:ietf:params:oauth:token-type:jwt";

    /// <summary>RFC 8693 OpenID Connect ID token type.</summary>
    public const string IdToken = "urn:ietf:params:oauth:token-type:id_token";

    /// <summary>Writ's token type for task tokens (subject token of a delegation, issued token type of task requests).</summary>
    public const string TaskToken = "urn:writ:params:oauth:token-type:task-token";

    /// <summary>RFC 7523 client assertion type for <c>private_key_jwt</c>.</summary>
    public const string ClientAssertionJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}
