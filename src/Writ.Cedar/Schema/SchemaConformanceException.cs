namespace Writ.Cedar.Schema;

/// <summary>Entity or context data does not conform to the schema, or is malformed for the type the schema expects.</summary>
public sealed class SchemaConformanceException : FormatException
{
    /// <summary>Creates the error.</summary>
    public SchemaConformanceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error wrapping another.</summary>
    public SchemaConformanceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates an error with no details.</summary>
    public SchemaConformanceException()
    {
    }
}
