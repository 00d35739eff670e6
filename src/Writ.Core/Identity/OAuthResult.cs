namespace Writ.Core.Identity;

/// <summary>A value, or the OAuth error that refused it.</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct OAuthResult<T>(T? Value, OAuthError? Error)
    where T : class
{
    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Succeeded => Error is null && Value is not null;

    /// <summary>Wraps a refusal.</summary>
    public static implicit operator OAuthResult<T>(OAuthError error) => new(null, error);

    /// <summary>Wraps a value.</summary>
    public static implicit operator OAuthResult<T>(T value) => new(value, null);
}
