namespace Writ.Core.Storage;

/// <summary>The audit log's records, checkpoints and Merkle frontier.</summary>
public interface IAuditStore
{
}
