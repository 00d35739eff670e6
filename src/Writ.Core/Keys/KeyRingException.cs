namespace Writ.Core.Keys;

/// <summary>A signing key is unavailable (for example it cannot be decrypted with the configured root key); signing is refused.</summary>
public sealed class KeyRingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyRingException()
    {
    }

    /// <summary>Creates the exception with a message saying what is wrong and how to fix it.</summary>
    public KeyRingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public KeyRingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
