namespace Writ.Core.Audit;

/// <summary>Signs checkpoints for the audit log (the C2SP signed note of a tree size and root hash).</summary>
public interface IAuditCheckpointSigner
{
    /// <summary>The signed checkpoint of the first <paramref name="treeSize"/> records, whose Merkle root is <paramref name="rootHash"/>.</summary>
    StoredCheckpoint Sign(long treeSize, byte[] rootHash, DateTimeOffset at);
}
