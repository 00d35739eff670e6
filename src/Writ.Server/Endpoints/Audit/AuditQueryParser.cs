using System.Globalization;
using Writ.Core.Audit;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Audit;

/// <summary>Reads and checks audit query strings: known parameters only, each at most once, bounded and well-formed.</summary>
internal sealed class AuditQueryParser(IQueryCollection query)
{
    private const int MaxTextLength = 512;

    private static readonly string[] SearchParameters = ["agent", "owner", "task", "type", "decision", "actor", "from", "until", "cursor", "order", "limit"];

    /// <summary>The first problem found, if any.</summary>
    public ProblemResult? Error { get; private set; }

    public static (AuditQuery? Query, ProblemResult? Error) ParseSearch(IQueryCollection query)
    {
        var parser = new AuditQueryParser(query);
        parser.OnlyKnown(SearchParameters);
        var search = new AuditQuery
        {
            Agent = parser.Text("agent"),
            Owner = parser.Text("owner"),
            TaskId = parser.Text("task"),
            Type = parser.Text("type"),
            Decision = parser.Text("decision"),
            Actor = parser.Text("actor"),
            From = parser.Time("from"),
            Until = parser.Time("until"),
            Cursor = parser.Number("cursor", 0, long.MaxValue),
            Limit = (int)(parser.Number("limit", 1, AuditQuery.MaxLimit) ?? 100),
        };
        var order = parser.Text("order");
        if (parser.Error is null && order is not (null or "newest" or "oldest"))
        {
            parser.Fail("invalid_order", "'order' must be 'newest' or 'oldest'");
        }

        return parser.Error is null ? (search with { NewestFirst = order != "oldest" }, null) : (null, parser.Error);
    }

    public void OnlyKnown(IReadOnlyCollection<string> known)
    {
        foreach (var key in query.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                Fail("unknown_parameter", $"unknown query parameter '{(key.Length > 40 ? key[..40] + "…" : key)}'; use {string.Join(", ", known)}");
                return;
            }
        }
    }

    public long? Number(string name, long min, long max)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail("invalid_" + name, $"'{name}' must be a whole number from {min} to {max}");
        return null;
    }

    public string? Text(string name)
    {
        var text = Single(name);
        if (text is { Length: 0 or > MaxTextLength })
        {
            Fail("invalid_" + name, $"'{name}' must be 1 to {MaxTextLength} characters");
            return null;
        }

        return text;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        Fail("invalid_" + name, $"'{name}' must be an ISO 8601 time, e.g. 2026-03-01T12:00:00Z");
        return null;
    }

    public void Fail(string code, string detail) => Error ??= Problems.Invalid(code, detail);

    private string? Single(string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            Fail("invalid_" + name, $"give '{name}' at most once");
            return null;
        }

        return values[0];
    }
}
