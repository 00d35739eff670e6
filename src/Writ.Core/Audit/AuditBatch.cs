namespace Writ.Core.Audit;

/// <summary>
/// What one append stores: records numbered from the head's tree size on, the frontier after them
/// (serialized), and optionally a checkpoint of the new tree size.
/// </summary>
public sealed record AuditBatch(IReadOnlyList<StoredAuditRecord> Records, byte[] Frontier, StoredCheckpoint? Checkpoint)
{
    /// <summary>The tree size after this batch.</summary>
    public long NewSize(AuditHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return head.TreeSize + Records.Count;
    }

    /// <summary>
    /// Throws unless this batch continues <paramref name="head"/>: at least one record, sequences
    /// contiguous from the head's tree size, 32-byte leaf hashes, a frontier, and a checkpoint (if
    /// any) of exactly the new size. Stores call it inside the append transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The batch does not continue the head.</exception>
    public void CheckContinues(AuditHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (Records.Count == 0)
        {
            throw new ArgumentException("an audit batch holds at least one record");
        }

        for (var i = 0; i < Records.Count; i++)
        {
            var record = Records[i];
            if (record.Sequence != head.TreeSize + i)
            {
                throw new ArgumentException($"audit record {record.Sequence} does not follow tree size {head.TreeSize + i}");
            }

            if (record.LeafHash.Length != 32 || record.Canonical.Length == 0)
            {
                throw new ArgumentException($"audit record {record.Sequence} has no canonical bytes or a leaf hash that is not 32 bytes");
            }
        }

        if (Frontier.Length == 0)
        {
            throw new ArgumentException("an audit batch carries the frontier after it");
        }

        if (Checkpoint is not null && Checkpoint.TreeSize != NewSize(head))
        {
            throw new ArgumentException($"a checkpoint stored with a batch must be of tree size {NewSize(head)}, not {Checkpoint.TreeSize}");
        }
    }
}
