namespace Writ.Core.Audit;

/// <summary>A record as read back: decoded from its canonical bytes, with its leaf hash.</summary>
public sealed record AuditEntry(AuditRecord Record, byte[] LeafHash)
{
    /// <summary>Decodes a stored row.</summary>
    /// <exception cref="AuditRecordFormatException">The stored bytes are not a valid record (the store was altered).</exception>
    public static AuditEntry From(StoredAuditRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new AuditEntry(AuditRecordEncoding.Decode(row.Canonical), row.LeafHash);
    }
}
