using System.Globalization;

namespace Writ.Cedar.Values;

/// <summary>A Cedar <c>decimal</c>: a fixed-point number with four fractional digits, held as a scaled 64-bit integer.</summary>
public sealed class DecimalValue : Value
{
    /// <summary>The scale: the raw value is the number times 10,000.</summary>
    public const long Scale = 10_000;

    /// <summary>Creates a decimal from its raw scaled value.</summary>
    public DecimalValue(long raw) => Raw = raw;

    /// <summary>The number times 10,000.</summary>
    public long Raw { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Decimal;

    /// <summary>The number as text with four fractional digits, e.g. <c>-1.5000</c>.</summary>
    public string ToDecimalString()
    {
        var negative = Raw < 0;
        var abs = negative ? (ulong)(-(Raw + 1)) + 1 : (ulong)Raw;
        var left = abs / Scale;
        var right = abs % Scale;
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : string.Empty)}{left}.{right:D4}");
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is DecimalValue d && d.Raw == Raw;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ValueKind.Decimal, Raw);

    /// <inheritdoc />
    public override string ToString() => "decimal(\"" + ToDecimalString() + "\")";
}
