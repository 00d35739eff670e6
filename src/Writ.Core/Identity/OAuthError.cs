namespace Writ.Core.Identity;

/// <summary>An RFC 6749 §5.2 error: a registered code and a description safe to show the caller.</summary>
/// <param name="Error">The error code, e.g. <c>invalid_grant</c>.</param>
/// <param name="Description">What was wrong; never contains a secret or a stack trace.</param>
public sealed record OAuthError(string Error, string Description)
{
    /// <summary>The request is missing a parameter, repeats one, or is otherwise malformed.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>Client authentication failed.</summary>
    public const string InvalidClient = "invalid_client";

    /// <summary>The grant (join token, assertion, subject token) is invalid, expired, replayed or not for this agent.</summary>
    public const string InvalidGrant = "invalid_grant";

    /// <summary>The grant type is not supported.</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";

    /// <summary>The requested resource is not acceptable (RFC 8707).</summary>
    public const string InvalidTarget = "invalid_target";

    /// <summary>The token type hint is not supported (RFC 7009).</summary>
    public const string UnsupportedTokenType = "unsupported_token_type";

    internal static OAuthError Request(string description) => new(InvalidRequest, description);

    internal static OAuthError Grant(string description) => new(InvalidGrant, description);

    internal static OAuthError Client(string description) => new(InvalidClient, description);
}
