namespace Writ.Cedar.Values;

/// <summary>A Cedar string.</summary>
public sealed class StringValue : Value
{
    /// <summary>The empty string.</summary>
    public static readonly StringValue Empty = new(string.Empty);

    /// <summary>Creates a string value.</summary>
    public StringValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The string.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.String;

    /// <inheritdoc />
    public override bool Equals(Value? other) => other is StringValue s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => CedarText.Quote(Value);
}
