using System.Runtime.CompilerServices;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// Reads the audit log for people and verifiers: searches, records with their inclusion proof, and
/// consistency proofs between tree sizes. Records are decoded from their canonical bytes (what the
/// tree commits to), never from the search columns.
/// </summary>
public sealed class AuditReader(IAuditStore store)
{
    /// <summary>Records matching <paramref name="query"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var rows = await store.SearchAsync(query, cancellationToken);
        return [.. rows.Select(AuditEntry.From)];
    }

    /// <summary>Records from <paramref name="from"/> (inclusive) to <paramref name="toExclusive"/>, streamed in order.</summary>
    public async IAsyncEnumerable<AuditEntry> ReadAsync(long from, long toExclusive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in store.ReadAsync(from, toExclusive, cancellationToken))
        {
            yield return AuditEntry.From(row);
        }
    }

    /// <summary>
    /// Record <paramref name="sequence"/> with its inclusion proof in the tree of the latest
    /// checkpoint; no proof when that checkpoint does not cover it yet. Null when the record does not exist.
    /// </summary>
    public async Task<AuditEntryWithProof?> GetWithProofAsync(long sequence, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(sequence, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var checkpoint = await store.GetLatestCheckpointAsync(cancellationToken);
        IReadOnlyList<byte[]>? proof = null;
        if (checkpoint is not null && sequence < checkpoint.TreeSize)
        {
            var leaves = new AuditStoreLeaves(store, await store.GetHeadAsync(cancellationToken));
            proof = await MerkleProofs.CreateInclusionProofAsync(leaves, sequence, checkpoint.TreeSize, cancellationToken);
        }

        return new AuditEntryWithProof(AuditEntry.From(row), checkpoint, proof);
    }

    /// <summary>The consistency proof between the trees of <paramref name="first"/> and <paramref name="second"/> records.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are not 0 &lt;= first &lt;= second &lt;= tree size.</exception>
    /// <exception cref="AuditProofUnavailableException">The proof needs pruned records.</exception>
    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long first, long second, CancellationToken cancellationToken)
    {
        var head = await store.GetHeadAsync(cancellationToken);
        if (first < 0 || first > second || second > head.TreeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"need 0 <= first <= second <= {head.TreeSize} (the log's size)");
        }

        return await MerkleProofs.CreateConsistencyProofAsync(new AuditStoreLeaves(store, head), first, second, cancellationToken);
    }
}
