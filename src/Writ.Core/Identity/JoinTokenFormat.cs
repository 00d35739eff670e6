using Writ.Core.Security;

namespace Writ.Core.Identity;

/// <summary>
/// Join tokens read <c>wjt.&lt;id&gt;.&lt;secret&gt;</c>: the public id lets the token service check the
/// agent before consuming the token, so a refused exchange does not burn it.
/// </summary>
public static class JoinTokenFormat
{
    private const string Prefix = "wjt.";

    /// <summary>A new id and the full token text.</summary>
    public static (string Id, string Token) Create()
    {
        var id = RandomToken.Create(16);
        return (id, Prefix + id + "." + RandomToken.Create());
    }

    /// <summary>The id inside a presented token, or null when the text is not shaped like a join token.</summary>
    public static string? TryGetId(string token)
    {
        if (token.Length > 200 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = token.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        return dot is > 0 and < 64 && rest.Length - dot > 16 ? rest[..dot].ToString() : null;
    }
}
