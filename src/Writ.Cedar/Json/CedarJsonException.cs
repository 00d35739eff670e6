namespace Writ.Cedar.Json;

/// <summary>Malformed Cedar JSON: a policy, entity, value, context or request document.</summary>
public sealed class CedarJsonException : Exception
{
    /// <summary>Creates the error.</summary>
    public CedarJsonException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a cause.</summary>
    public CedarJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty error.</summary>
    public CedarJsonException()
        : base("invalid Cedar JSON")
    {
    }
}
