using System.Globalization;

namespace Writ.Cedar.Values;

/// <summary>A Cedar <c>datetime</c>: milliseconds since the Unix epoch, UTC.</summary>
public sealed class DatetimeValue : Value
{
    /// <summary>Creates a datetime from milliseconds since the Unix epoch.</summary>
    public DatetimeValue(long milliseconds) => Milliseconds = milliseconds;

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z.</summary>
    public long Milliseconds { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Datetime;

    /// <summary>The instant as a datetime literal in UTC, e.g. <c>2024-01-01T00:00:00.000Z</c>, when it fits the calendar years 1 to 9999.</summary>
    public string? ToIsoString()
    {
        var min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        var max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (Milliseconds < min || Milliseconds > max)
        {
            return null;
        }

        var dt = DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);
        return dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DatetimeValue d && d.Milliseconds == Milliseconds;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ValueKind.Datetime, Milliseconds);

    /// <inheritdoc />
    public override string ToString()
    {
        var iso = ToIsoString();
        return iso is not null
            ? "datetime(\"" + iso + "\")"
            : "datetime(\"1970-01-01\").offset(" + new DurationValue(Milliseconds) + ")";
    }
}
