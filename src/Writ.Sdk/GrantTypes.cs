namespace Writ.Sdk;

/// <summary>The OAuth grant and token type URIs Writ speaks.</summary>
internal static class GrantTypes
{
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string JoinToken = "urn:writ:params:oauth:token-type:join-token";
    public const string Jwt = "urn:ietf:params:oauth:token-type:jwt";
    public const string TaskToken = "urn:writ:params:oauth:token-type:task-token";
}
