namespace Writ.Core.Audit;

/// <summary>Told what the audit log committed and what failed, for telemetry export and operator logs.</summary>
public interface IAuditObserver
{
    /// <summary>Records that are now durable, in sequence order.</summary>
    void Committed(IReadOnlyList<AuditRecord> records);

    /// <summary>A batch of <paramref name="records"/> records could not be committed.</summary>
    void Failed(int records, Exception error);
}
