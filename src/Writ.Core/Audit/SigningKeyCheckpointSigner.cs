namespace Writ.Core.Audit;

/// <summary>Signs checkpoints with the audit signing key; the checkpoint origin is the key's name.</summary>
public sealed class SigningKeyCheckpointSigner(AuditSigningKey key) : IAuditCheckpointSigner
{
    /// <inheritdoc />
    public StoredCheckpoint Sign(long treeSize, byte[] rootHash, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rootHash);
        var note = key.SignCheckpoint(new Checkpoint(key.Name, treeSize, rootHash));
        return new StoredCheckpoint(treeSize, rootHash, at, note);
    }
}
