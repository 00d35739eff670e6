namespace Writ.Core.Audit;

/// <summary>The audit log cannot accept or persist a record; the action it was to record must not happen.</summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
        : this("the audit log is unavailable")
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
