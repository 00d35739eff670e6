namespace Writ.Core.Keys;

/// <summary>The root key is missing, malformed or stored unsafely; Writ refuses to start.</summary>
public sealed class RootKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RootKeyException()
    {
    }

    /// <summary>Creates the exception with a message saying what is wrong and how to fix it.</summary>
    public RootKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public RootKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
