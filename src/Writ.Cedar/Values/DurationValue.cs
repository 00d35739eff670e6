using System.Globalization;
using System.Text;

namespace Writ.Cedar.Values;

/// <summary>A Cedar <c>duration</c>: a signed number of milliseconds.</summary>
public sealed class DurationValue : Value
{
    /// <summary>Creates a duration.</summary>
    public DurationValue(long milliseconds) => Milliseconds = milliseconds;

    /// <summary>The length in milliseconds.</summary>
    public long Milliseconds { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Duration;

    /// <summary>The duration as a literal, e.g. <c>1d2h3m4s5ms</c> or <c>-30s</c>.</summary>
    public string ToDurationString()
    {
        if (Milliseconds == 0)
        {
            return "0ms";
        }

        var sb = new StringBuilder();
        var negative = Milliseconds < 0;
        var rest = negative ? (ulong)(-(Milliseconds + 1)) + 1 : (ulong)Milliseconds;
        if (negative)
        {
            sb.Append('-');
        }

        Append(sb, ref rest, 86_400_000, "d");
        Append(sb, ref rest, 3_600_000, "h");
        Append(sb, ref rest, 60_000, "m");
        Append(sb, ref rest, 1_000, "s");
        Append(sb, ref rest, 1, "ms");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ref ulong rest, ulong unit, string suffix)
    {
        var n = rest / unit;
        if (n > 0)
        {
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(suffix);
            rest -= n * unit;
        }
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DurationValue d && d.Milliseconds == Milliseconds;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ValueKind.Duration, Milliseconds);

    /// <inheritdoc />
    public override string ToString() => "duration(\"" + ToDurationString() + "\")";
}
