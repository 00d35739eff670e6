namespace Writ.Core.Audit;

/// <summary>An audit signing or verifier key that cannot be used: malformed, or not opened by the root key.</summary>
public sealed class AuditKeyException : Exception
{
    public AuditKeyException()
        : this("the audit key cannot be used")
    {
    }

    public AuditKeyException(string message)
        : base(message)
    {
    }

    public AuditKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
