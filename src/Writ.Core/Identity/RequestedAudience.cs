namespace Writ.Core.Identity;

/// <summary>
/// The one audience of the identity token, requested with <c>audience</c> (RFC 8693) or <c>resource</c>
/// (RFC 8707); both may be given only when equal.
/// </summary>
internal static class RequestedAudience
{
    private const int MaxLength = 512;

    public static OAuthResult<string> From(IReadOnlyDictionary<string, string> parameters)
    {
        parameters.TryGetValue("audience", out var audience);
        parameters.TryGetValue("resource", out var resource);
        if (audience is null && resource is null)
        {
            return OAuthError.Request("the 'audience' (or 'resource') parameter is required: the identity token is issued for one audience");
        }

        if (audience is not null && resource is not null && !string.Equals(audience, resource, StringComparison.Ordinal))
        {
            return OAuthError.Request("give one audience: 'audience' and 'resource' differ");
        }

        // On Unix "/path" parses as an absolute file URI, so the scheme must be written out in the text.
        if (resource is not null && (!Uri.TryCreate(resource, UriKind.Absolute, out var uri) || uri.IsFile
            || !resource.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(uri.Fragment)))
        {
            return new OAuthError(OAuthError.InvalidTarget, "'resource' must be an absolute URI without a fragment (RFC 8707)");
        }

        var value = audience ?? resource!;
        if (value.Length > MaxLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return OAuthError.Request($"the audience must be at most {MaxLength} characters without spaces or control characters");
        }

        return value;
    }
}
