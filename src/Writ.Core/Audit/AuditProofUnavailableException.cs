namespace Writ.Core.Audit;

/// <summary>A proof needs records that were pruned or do not exist yet.</summary>
public sealed class AuditProofUnavailableException : Exception
{
    public AuditProofUnavailableException()
    {
    }

    public AuditProofUnavailableException(string message)
        : base(message)
    {
    }

    public AuditProofUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
