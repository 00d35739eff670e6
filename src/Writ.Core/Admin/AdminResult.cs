namespace Writ.Core.Admin;

/// <summary>The value of an admin operation, or why it was refused.</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct AdminResult<T>(T? Value, AdminError? Error)
    where T : class
{
    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Succeeded => Error is null && Value is not null;

    /// <summary>Wraps a refusal.</summary>
    public static implicit operator AdminResult<T>(AdminError error) => new(null, error);

    /// <summary>Wraps a value.</summary>
    public static implicit operator AdminResult<T>(T value) => new(value, null);
}
