namespace Writ.Cedar.Values;

/// <summary>A Cedar boolean. Use <see cref="True"/> and <see cref="False"/>.</summary>
public sealed class BoolValue : Value
{
    /// <summary>The value <c>true</c>.</summary>
    public static readonly BoolValue True = new(true);

    /// <summary>The value <c>false</c>.</summary>
    public static readonly BoolValue False = new(false);

    private BoolValue(bool value) => Value = value;

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Bool;

    /// <summary>The shared instance for <paramref name="value"/>.</summary>
    public static BoolValue Of(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals(Value? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
