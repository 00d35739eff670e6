namespace Writ.Cedar.Values;

/// <summary>
/// A Cedar value. Values are immutable and compare structurally, as Cedar's <c>==</c> does:
/// values of different kinds are never equal, sets compare as sets and records by their fields.
/// </summary>
public abstract class Value : IEquatable<Value>
{
    private protected Value()
    {
    }

    /// <summary>The runtime type of this value.</summary>
    public abstract ValueKind Kind { get; }

    /// <summary>Whether this value equals <paramref name="other"/> under Cedar's <c>==</c>.</summary>
    public abstract bool Equals(Value? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>The value in Cedar policy syntax, e.g. <c>User::"alice"</c> or <c>decimal("1.5")</c>.</summary>
    public abstract override string ToString();

    /// <summary>The name of the value's type as used in error messages.</summary>
    public string TypeName => Kind switch
    {
        ValueKind.Bool => "bool",
        ValueKind.Long => "long",
        ValueKind.String => "string",
        ValueKind.Entity => "entity",
        ValueKind.Set => "set",
        ValueKind.Record => "record",
        ValueKind.Decimal => "decimal",
        ValueKind.IpAddr => "ipaddr",
        ValueKind.Datetime => "datetime",
        ValueKind.Duration => "duration",
        _ => "unknown",
    };

    /// <summary>Whether the value is one of the extension types.</summary>
    public bool IsExtension => Kind >= ValueKind.Decimal;
}
