using System.Runtime.CompilerServices;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// Runs <see cref="AuditVerifier"/> straight over an <see cref="IAuditStore"/>: its head, pruning
/// frontier, every checkpoint and the retained records in sequence order, streamed. It also checks
/// that each record decodes strictly and that the searchable copies of its fields agree with its hashed bytes.
/// </summary>
public static class AuditStoreVerifier
{
    private const int CheckpointPage = 1000;

    /// <summary>
    /// Verifies the log in <paramref name="store"/> against <paramref name="trustedKey"/> (the
    /// published verifier key) or, when null, against the public key the store holds.
    /// <paramref name="extraCheckpoints"/> are signed notes kept elsewhere, checked like stored ones.
    /// </summary>
    public static async Task<AuditStoreVerification> VerifyAsync(
        IAuditStore store,
        AuditVerifierKey? trustedKey,
        IReadOnlyList<string> extraCheckpoints,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(extraCheckpoints);
        var head = await store.GetHeadAsync(cancellationToken);
        var stored = await store.GetSigningKeyAsync(cancellationToken);
        AuditVerifierKey? storedKey = null;
        if (stored is not null)
        {
            try
            {
                storedKey = AuditVerifierKey.Create(stored.Name, stored.PublicKey);
            }
            catch (AuditKeyException e)
            {
                return Failed(head, trustedKey, new AuditFault(AuditFaultKind.KeyMismatch, 0, "the audit public key in the store is malformed: " + e.Message));
            }
        }

        if (trustedKey is not null && storedKey is not null && trustedKey.ToString() != storedKey.ToString())
        {
            return Failed(head, trustedKey, new AuditFault(AuditFaultKind.KeyMismatch, 0, $"the store's audit key {storedKey} is not the trusted key {trustedKey}"));
        }

        var key = trustedKey ?? storedKey;
        var notes = await ReadCheckpointsAsync(store, cancellationToken);
        if (key is null)
        {
            // No key was ever created, so nothing can have been signed: only an empty log is consistent with that.
            var fault = head.TreeSize == 0 && notes.Count == 0 && extraCheckpoints.Count == 0
                ? null
                : new AuditFault(AuditFaultKind.KeyMismatch, 0, "the store holds records or checkpoints but no audit key; pass the published key with --key");
            return Failed(head, null, fault);
        }

        MerkleFrontier? pruned = null;
        if (head.PrunedBefore > 0)
        {
            try
            {
                pruned = MerkleFrontier.FromBytes(head.PrunedFrontier);
            }
            catch (FormatException e)
            {
                return Failed(head, key, new AuditFault(AuditFaultKind.PrunedFrontierInvalid, head.PrunedBefore, "the frontier kept for pruned records is malformed: " + e.Message)) with { KeyFromStore = trustedKey is null };
            }

            if (pruned.Size != head.PrunedBefore)
            {
                return Failed(head, key, new AuditFault(AuditFaultKind.PrunedFrontierInvalid, head.PrunedBefore, $"the frontier kept for pruned records covers {pruned.Size} records, not {head.PrunedBefore}")) with { KeyFromStore = trustedKey is null };
            }
        }

        var columns = new ColumnCheck();
        var result = await AuditVerifier.VerifyLeavesAsync(
            ReadLeavesAsync(store, head, columns, cancellationToken),
            new AuditVerificationInput
            {
                Key = key,
                Checkpoints = [.. notes.Select(n => n.Note), .. extraCheckpoints],
                PrunedFrontier = pruned,
                ExpectedTreeSize = head.TreeSize,
                Progress = progress,
            },
            cancellationToken);

        // A mismatch between a record and its searchable copy ended the stream there; it comes first
        // unless the verifier found something earlier.
        if (columns.Fault is { } columnFault && (result.Fault is null || result.Fault.Sequence >= columnFault.Sequence))
        {
            result = result with { Fault = columnFault };
        }

        return new AuditStoreVerification
        {
            Result = result,
            Key = key,
            KeyFromStore = trustedKey is null,
            HeadTreeSize = head.TreeSize,
            LatestCheckpoint = notes.Count == 0 ? null : notes.MaxBy(n => n.TreeSize)!.Note,
        };
    }

    private static AuditStoreVerification Failed(AuditHead head, AuditVerifierKey? key, AuditFault? fault) => new()
    {
        Result = new AuditVerificationResult { Fault = fault, PrunedBefore = head.PrunedBefore, TreeSize = 0, RootHash = MerkleHash.EmptyRoot() },
        Key = key,
        HeadTreeSize = head.TreeSize,
    };

    private static async Task<List<StoredCheckpoint>> ReadCheckpointsAsync(IAuditStore store, CancellationToken cancellationToken)
    {
        var all = new List<StoredCheckpoint>();
        long? before = null;
        while (true)
        {
            var page = await store.ListCheckpointsAsync(before, CheckpointPage, cancellationToken);
            all.AddRange(page);
            if (page.Count < CheckpointPage)
            {
                return all;
            }

            before = page[^1].TreeSize;
        }
    }

    private static async IAsyncEnumerable<AuditLeaf> ReadLeavesAsync(IAuditStore store, AuditHead head, ColumnCheck columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in store.ReadAsync(head.PrunedBefore, head.TreeSize, cancellationToken))
        {
            if (columns.Differs(record))
            {
                yield break;
            }

            yield return new AuditLeaf(record.Canonical, record.LeafHash);
        }
    }

    private sealed class ColumnCheck
    {
        public AuditFault? Fault { get; private set; }

        // Searches filter on the copied columns, so a copy that lies would hide or misattribute a record.
        public bool Differs(StoredAuditRecord stored)
        {
            AuditRecord record;
            try
            {
                record = AuditRecordEncoding.Decode(stored.Canonical);
            }
            catch (AuditRecordFormatException e)
            {
                Fault = new AuditFault(AuditFaultKind.Edited, stored.Sequence, $"record {stored.Sequence} is not a canonical audit record ({e.Message})");
                return true;
            }

            if (record.Sequence == stored.Sequence
                && record.Type == stored.Type
                && record.Agent == stored.Agent
                && record.Owner == stored.Owner
                && record.TaskId == stored.TaskId
                && record.Decision == stored.Decision
                && record.Actor == stored.Actor)
            {
                return false;
            }

            if (record.Sequence != stored.Sequence)
            {
                // A record stored under another sequence number is an ordering fault the verifier classifies.
                return false;
            }

            Fault = new AuditFault(AuditFaultKind.Edited, stored.Sequence, $"the searchable fields stored for record {stored.Sequence} differ from its hashed bytes");
            return true;
        }
    }
}
