using System.Diagnostics.CodeAnalysis;

namespace Writ.Core.Domain;

/// <summary>
/// A SPIFFE ID (<c>spiffe://&lt;trust domain&gt;/&lt;path&gt;</c>) validated by the SPIFFE ID
/// standard: lowercase scheme and trust domain, no port, user info, query or fragment, path
/// segments of letters, digits, '.', '-' and '_' with no empty, '.' or '..' segments.
/// </summary>
public sealed record SpiffeId
{
    /// <summary>The scheme prefix every SPIFFE ID starts with.</summary>
    public const string Scheme = "spiffe://";

    /// <summary>The longest SPIFFE ID SPIFFE allows, in bytes (all valid characters are ASCII).</summary>
    public const int MaxLength = 2048;

    /// <summary>The first path segment of agent identities.</summary>
    public const string AgentSegment = "agent";

    private SpiffeId(TrustDomain trustDomain, string path)
    {
        TrustDomain = trustDomain;
        Path = path;
    }

    /// <summary>The trust domain part.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The path, empty or starting with '/'.</summary>
    public string Path { get; }

    /// <summary>The agent identity <c>spiffe://&lt;domain&gt;/agent/&lt;name&gt;</c>.</summary>
    /// <exception cref="FormatException">The name is not a valid resource name.</exception>
    public static SpiffeId ForAgent(TrustDomain trustDomain, string agentName)
    {
        if (!ResourceName.IsValid(agentName))
        {
            throw new FormatException($"'{agentName}' is not a valid agent name: {ResourceName.Rule}");
        }

        return new SpiffeId(trustDomain, "/" + AgentSegment + "/" + agentName);
    }

    /// <summary>Parses and validates a SPIFFE ID.</summary>
    /// <exception cref="FormatException">The text is not a valid SPIFFE ID.</exception>
    public static SpiffeId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Parses and validates a SPIFFE ID; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out SpiffeId? id,
        [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "the SPIFFE ID is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"the SPIFFE ID is longer than {MaxLength} characters";
            return false;
        }

        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            error = "a SPIFFE ID starts with 'spiffe://' (lowercase)";
            return false;
        }

        var rest = text.AsSpan(Scheme.Length);
        var slash = rest.IndexOf('/');
        var domainPart = slash < 0 ? rest : rest[..slash];
        var pathPart = slash < 0 ? [] : rest[slash..];

        if (domainPart.IndexOfAny('@', ':') >= 0)
        {
            error = "a SPIFFE ID has no user info or port";
            return false;
        }

        if (rest.IndexOfAny('?', '#') >= 0)
        {
            error = "a SPIFFE ID has no query or fragment";
            return false;
        }

        if (!TrustDomain.TryParse(domainPart.ToString(), out var domain, out var domainError))
        {
            error = domainError;
            return false;
        }

        if (!IsValidPath(pathPart, out error))
        {
            return false;
        }

        id = new SpiffeId(domain, pathPart.ToString());
        return true;
    }

    /// <summary>True when this is <c>spiffe://&lt;domain&gt;/agent/&lt;name&gt;</c>; gives the name.</summary>
    public bool TryGetAgentName([NotNullWhen(true)] out string? agentName)
    {
        const string prefix = "/" + AgentSegment + "/";
        agentName = null;
        if (!Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var name = Path[prefix.Length..];
        if (!ResourceName.IsValid(name))
        {
            return false;
        }

        agentName = name;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Scheme + TrustDomain.Name + Path;

    private static bool IsValidPath(ReadOnlySpan<char> path, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (path.IsEmpty)
        {
            return true;
        }

        // The path starts with '/'; every segment after it must be non-empty and not a dot segment.
        foreach (var range in path[1..].Split('/'))
        {
            var segment = path[1..][range];
            if (segment.IsEmpty)
            {
                error = "a SPIFFE ID path has no empty segments or trailing '/'";
                return false;
            }

            if (segment is "." or "..")
            {
                error = "a SPIFFE ID path has no '.' or '..' segments";
                return false;
            }

            foreach (var c in segment)
            {
                if (!IsPathChar(c))
                {
                    error = $"a SPIFFE ID path segment contains '{c}'; only letters, digits, '.', '-' and '_' are allowed";
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsPathChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_';
}
