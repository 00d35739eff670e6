namespace Writ.Core.Audit;

/// <summary>Bytes that are not the canonical encoding of an audit record, or a record that has none.</summary>
public sealed class AuditRecordFormatException : Exception
{
    public AuditRecordFormatException()
        : this("not a canonical audit record")
    {
    }

    public AuditRecordFormatException(string message)
        : base(message)
    {
    }

    public AuditRecordFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
