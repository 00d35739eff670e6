namespace Writ.Cedar.Values;

/// <summary>The runtime type of a Cedar value.</summary>
public enum ValueKind
{
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A signed 64-bit integer.</summary>
    Long,
    /// <summary>A string.</summary>
    String,
    /// <summary>An entity reference.</summary>
    Entity,
    /// <summary>A set of values.</summary>
    Set,
    /// <summary>A record of named values.</summary>
    Record,
    /// <summary>A <c>decimal</c> extension value.</summary>
    Decimal,
    /// <summary>An <c>ipaddr</c> extension value.</summary>
    IpAddr,
    /// <summary>A <c>datetime</c> extension value.</summary>
    Datetime,
    /// <summary>A <c>duration</c> extension value.</summary>
    Duration,
}
