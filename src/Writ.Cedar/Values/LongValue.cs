using System.Globalization;

namespace Writ.Cedar.Values;

/// <summary>A Cedar signed 64-bit integer.</summary>
public sealed class LongValue : Value
{
    private static readonly LongValue[] Small = CreateSmall();

    /// <summary>Creates an integer value.</summary>
    public LongValue(long value) => Value = value;

    /// <summary>The integer.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Long;

    /// <summary>An integer value, shared for small numbers to spare allocations.</summary>
    public static LongValue Of(long value) => value is >= -128 and < 1024 ? Small[value + 128] : new LongValue(value);

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is LongValue l && l.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    private static LongValue[] CreateSmall()
    {
        var all = new LongValue[1024 + 128];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = new LongValue(i - 128);
        }

        return all;
    }
}
