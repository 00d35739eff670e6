using Writ.Core.Audit;

namespace Writ.Server.Endpoints.Audit;

/// <summary>The JSON shapes of the audit API (camelCase, hashes in base64 as in checkpoints).</summary>
internal static class AuditViews
{
    public static RecordView Record(AuditEntry entry)
    {
        var r = entry.Record;
        return new RecordView(
            r.Sequence,
            r.Time,
            r.Type,
            r.Agent,
            r.Owner,
            r.TaskId,
            r.Chain,
            r.Target,
            r.Decision,
            r.Reason,
            r.TraceId,
            r.Actor,
            r.Policies,
            r.Errors,
            r.Detail,
            Convert.ToBase64String(entry.LeafHash));
    }

    public static CheckpointView Checkpoint(StoredCheckpoint checkpoint) =>
        new(checkpoint.TreeSize, Convert.ToBase64String(checkpoint.RootHash), checkpoint.SignedAt, checkpoint.Note);

    public static IReadOnlyList<string> Proof(IReadOnlyList<byte[]> proof) => [.. proof.Select(Convert.ToBase64String)];

    internal sealed record RecordView(
        long Seq,
        DateTimeOffset Time,
        string Type,
        string? Agent,
        string? Owner,
        string? TaskId,
        IReadOnlyList<string>? Chain,
        string? Target,
        string? Decision,
        string? Reason,
        string? TraceId,
        string? Actor,
        IReadOnlyList<string>? Policies,
        IReadOnlyList<string>? Errors,
        IReadOnlyDictionary<string, string>? Detail,
        string LeafHash);

    internal sealed record CheckpointView(long TreeSize, string RootHash, DateTimeOffset SignedAt, string Note);
}
