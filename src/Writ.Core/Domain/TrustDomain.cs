using System.Diagnostics.CodeAnalysis;

namespace Writ.Core.Domain;

/// <summary>
/// The namespace of identities one Writ deployment issues (for example <c>writ.local</c>),
/// validated by the SPIFFE ID rules: lowercase letters, digits, dots, dashes and underscores.
/// </summary>
public sealed record TrustDomain
{
    /// <summary>The longest trust domain name SPIFFE allows.</summary>
    public const int MaxLength = 255;

    private TrustDomain(string name) => Name = name;

    /// <summary>The trust domain name without scheme, for example <c>writ.local</c>.</summary>
    public string Name { get; }

    /// <summary>The SPIFFE ID of the trust domain itself, <c>spiffe://&lt;name&gt;</c>.</summary>
    public string IdString => SpiffeId.Scheme + Name;

    /// <summary>Validates and wraps a trust domain name.</summary>
    /// <exception cref="FormatException">The name is not a valid trust domain.</exception>
    public static TrustDomain Parse(string name) =>
        TryParse(name, out var domain, out var error) ? domain : throw new FormatException(error);

    /// <summary>Validates a trust domain name; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(
        string? name,
        [NotNullWhen(true)] out TrustDomain? domain,
        [NotNullWhen(false)] out string? error)
    {
        domain = null;
        if (string.IsNullOrEmpty(name))
        {
            error = "the trust domain is empty";
            return false;
        }

        if (name.Length > MaxLength)
        {
            error = $"the trust domain is longer than {MaxLength} characters";
            return false;
        }

        foreach (var c in name)
        {
            if (!IsTrustDomainChar(c))
            {
                error = $"the trust domain '{name}' contains '{c}'; only lowercase letters, digits, '.', '-' and '_' are allowed";
                return false;
            }
        }

        error = null;
        domain = new TrustDomain(name);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static bool IsTrustDomainChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_';
}
