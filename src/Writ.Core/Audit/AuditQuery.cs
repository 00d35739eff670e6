namespace Writ.Core.Audit;

/// <summary>
/// A search of the audit log. Every filter given must match (exact text; times are
/// <see cref="From"/> &lt;= time &lt; <see cref="Until"/>). Paging is by sequence: with
/// <see cref="NewestFirst"/> the results are below <see cref="Cursor"/>, otherwise above it.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>Most records one search returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Agent SPIFFE ID.</summary>
    public string? Agent { get; init; }

    /// <summary>Owner name.</summary>
    public string? Owner { get; init; }

    /// <summary>Task id.</summary>
    public string? TaskId { get; init; }

    /// <summary>Event type.</summary>
    public string? Type { get; init; }

    /// <summary>Decision or outcome.</summary>
    public string? Decision { get; init; }

    /// <summary>Admin actor.</summary>
    public string? Actor { get; init; }

    /// <summary>Earliest time (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The sequence to page from (exclusive); null starts at the newest or oldest record.</summary>
    public long? Cursor { get; init; }

    /// <summary>Newest first (the default) or oldest first.</summary>
    public bool NewestFirst { get; init; } = true;

    /// <summary>Most records to return, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 100;
}
