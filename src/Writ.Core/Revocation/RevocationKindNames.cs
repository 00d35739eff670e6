namespace Writ.Core.Revocation;

/// <summary>The wire names of revocation kinds in the API, the CLI, storage and the event stream.</summary>
public static class RevocationKindNames
{
    /// <summary>Every kind with its wire name, in declaration order.</summary>
    public static IReadOnlyList<(RevocationKind Kind, string Name)> All { get; } =
    [
        (RevocationKind.Token, "token"),
        (RevocationKind.Task, "task"),
        (RevocationKind.Agent, "agent"),
        (RevocationKind.Owner, "owner"),
        (RevocationKind.Connection, "connection"),
        (RevocationKind.Key, "key"),
        (RevocationKind.Lease, "lease"),
    ];

    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    public static string Of(RevocationKind kind) =>
        All.FirstOrDefault(k => k.Kind == kind).Name ?? throw new ArgumentOutOfRangeException(nameof(kind));

    /// <summary>Parses a wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out RevocationKind kind)
    {
        foreach (var (candidate, name) in All)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
