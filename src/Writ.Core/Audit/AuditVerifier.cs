using System.Runtime.CompilerServices;

namespace Writ.Core.Audit;

/// <summary>
/// Recomputes the Merkle tree of an audit log from its records and checks it against the signed
/// checkpoints: every signature, sequence numbers contiguous from the start (or from the pruning
/// point, continuing the kept frontier), each checkpoint's root equal to the recomputed root at its
/// size, no two checkpoints disagreeing, and no checkpoint larger than the log. Reports the first
/// fault with the first bad sequence number. Memory stays O(log n) whatever the log's length.
/// </summary>
/// <remarks>
/// Consistency between consecutive checkpoints follows from recomputing both roots from the same
/// records, which is what a consistency proof stands in for when the records are not at hand.
/// Checkpoints below a pruning point can only have their signatures checked.
/// </remarks>
public static class AuditVerifier
{
    // How far ahead a sequence anomaly is looked for to tell a reorder from a deletion.
    private const int Lookahead = 4096;

    /// <summary>Verifies records given as <see cref="AuditRecord"/> values (they are encoded canonically first).</summary>
    public static Task<AuditVerificationResult> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditVerificationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        return VerifyLeavesAsync(EncodeAll(records, cancellationToken), input, cancellationToken);
    }

    /// <summary>Verifies stored records: their canonical bytes, in sequence order, from the pruning point on.</summary>
    public static async Task<AuditVerificationResult> VerifyLeavesAsync(IAsyncEnumerable<AuditLeaf> leaves, AuditVerificationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(input);
        var run = new Run(input);
        return await run.ExecuteAsync(leaves, cancellationToken);
    }

    private static async IAsyncEnumerable<AuditLeaf> EncodeAll(IAsyncEnumerable<AuditRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            byte[] bytes;
            try
            {
                bytes = AuditRecordEncoding.Encode(record);
            }
            catch (AuditRecordFormatException)
            {
                // An unencodable record stays in the stream as bytes that cannot decode, so it is reported at its position.
                bytes = [];
            }

            yield return new AuditLeaf(bytes, ReadOnlyMemory<byte>.Empty);
        }
    }

    private sealed class Run(AuditVerificationInput input)
    {
        private readonly MerkleFrontier _frontier = input.PrunedFrontier?.Clone() ?? new MerkleFrontier();
        private readonly byte[] _leafHash = new byte[MerkleHash.Size];
        private List<Checkpoint> _checkpoints = [];
        private long _prunedBefore;
        private long _checked;
        private int _matched;
        private int _signatureOnly;
        private long _lastMatchedSize;

        public async Task<AuditVerificationResult> ExecuteAsync(IAsyncEnumerable<AuditLeaf> leaves, CancellationToken cancellationToken)
        {
            _prunedBefore = _frontier.Size;
            _lastMatchedSize = _prunedBefore;
            var fault = LoadCheckpoints() ?? CheckPrunedFrontier();
            if (fault is not null)
            {
                return Result(fault);
            }

            var next = _checkpoints.FindIndex(c => c.TreeSize > _prunedBefore);
            if (next < 0)
            {
                next = _checkpoints.Count;
            }

            await using var reader = leaves.GetAsyncEnumerator(cancellationToken);
            while (await reader.MoveNextAsync())
            {
                var position = _frontier.Size;
                if (!TryReadSequence(reader.Current.Canonical.Span, out var claimed))
                {
                    return Result(new AuditFault(AuditFaultKind.Edited, position, $"record {position} does not start like a canonical audit record"));
                }

                if (claimed != position)
                {
                    return Result(await ClassifyAsync(reader, claimed, position));
                }

                MerkleHash.HashLeaf(reader.Current.Canonical.Span, _leafHash);
                var stored = reader.Current.StoredLeafHash.Span;
                if (!stored.IsEmpty && !MerkleHash.AreEqual(stored, _leafHash))
                {
                    return Result(new AuditFault(AuditFaultKind.Edited, position, $"record {position} does not hash to the leaf hash stored with it"));
                }

                _frontier.Append(_leafHash);
                _checked++;
                if (input.Progress is { } progress && _checked % Math.Max(1, input.ProgressInterval) == 0)
                {
                    progress.Report(_checked);
                }

                if (next < _checkpoints.Count && _checkpoints[next].TreeSize == _frontier.Size)
                {
                    var checkpoint = _checkpoints[next];
                    if (!MerkleHash.AreEqual(_frontier.Root(), checkpoint.RootHash.Span))
                    {
                        return Result(await ExplainRootMismatchAsync(reader, checkpoint.TreeSize));
                    }

                    _matched++;
                    _lastMatchedSize = checkpoint.TreeSize;
                    next++;
                }
            }

            input.Progress?.Report(_checked);
            var end = _frontier.Size;
            if (next < _checkpoints.Count)
            {
                return Result(new AuditFault(AuditFaultKind.Truncated, end, $"the log ends after {end} records, but a signed checkpoint covers {_checkpoints[^1].TreeSize}"));
            }

            if (input.ExpectedTreeSize is long expected && expected != end)
            {
                return Result(expected > end
                    ? new AuditFault(AuditFaultKind.Truncated, end, $"the log ends after {end} records, but the store's head says {expected}")
                    : new AuditFault(AuditFaultKind.Inserted, expected, $"the log holds {end} records, more than the {expected} of the store's head"));
            }

            return Result(null);
        }

        private AuditFault? LoadCheckpoints()
        {
            var bySize = new Dictionary<long, Checkpoint>();
            foreach (var note in input.Checkpoints)
            {
                Checkpoint checkpoint;
                try
                {
                    checkpoint = Checkpoint.Verify(note, input.Key);
                }
                catch (CheckpointException e)
                {
                    var size = TryReadSize(note);
                    return new AuditFault(AuditFaultKind.CheckpointInvalid, size ?? 0, $"a stored checkpoint{(size is null ? string.Empty : $" of tree size {size}")} is invalid: {e.Message}");
                }

                if (bySize.TryGetValue(checkpoint.TreeSize, out var other))
                {
                    if (!other.Equals(checkpoint))
                    {
                        return new AuditFault(AuditFaultKind.CheckpointsInconsistent, checkpoint.TreeSize, $"two signed checkpoints of tree size {checkpoint.TreeSize} have different roots");
                    }

                    continue;
                }

                bySize.Add(checkpoint.TreeSize, checkpoint);
            }

            _checkpoints = [.. bySize.Values.OrderBy(c => c.TreeSize)];
            return null;
        }

        private AuditFault? CheckPrunedFrontier()
        {
            _signatureOnly = _checkpoints.Count(c => c.TreeSize < _prunedBefore);
            if (_prunedBefore == 0)
            {
                return null;
            }

            var atPrune = _checkpoints.Find(c => c.TreeSize == _prunedBefore);
            if (atPrune is null)
            {
                return new AuditFault(AuditFaultKind.PrunedFrontierInvalid, _prunedBefore, $"no signed checkpoint confirms the frontier kept for the {_prunedBefore} pruned records");
            }

            if (!MerkleHash.AreEqual(_frontier.Root(), atPrune.RootHash.Span))
            {
                return new AuditFault(AuditFaultKind.PrunedFrontierInvalid, _prunedBefore, $"the frontier kept for the {_prunedBefore} pruned records does not match the checkpoint of that size");
            }

            _matched++;
            return null;
        }

        // The record at `position` claims `claimed`: tell a deletion, a reorder and an insertion apart.
        private static async Task<AuditFault> ClassifyAsync(IAsyncEnumerator<AuditLeaf> reader, long claimed, long position)
        {
            if (claimed < position)
            {
                return new AuditFault(AuditFaultKind.Inserted, claimed, $"record {position} carries sequence number {claimed}, which an earlier record already has: a record was inserted");
            }

            for (var i = 0; i < Lookahead && await reader.MoveNextAsync(); i++)
            {
                if (TryReadSequence(reader.Current.Canonical.Span, out var later) && later == position)
                {
                    return new AuditFault(AuditFaultKind.Reordered, position, $"record {position} is out of order: sequence number {claimed} stands where {position} belongs, and {position} comes later");
                }
            }

            return new AuditFault(AuditFaultKind.Deleted, position, claimed == position + 1
                ? $"record {position} is missing"
                : $"records {position} to {claimed - 1} are missing");
        }

        // The records since the last matching checkpoint do not hash to this one's root. A sequence
        // anomaly just after the interval (an inserted record pushes the rest back) names the cause;
        // otherwise the interval's records were edited.
        private async Task<AuditFault> ExplainRootMismatchAsync(IAsyncEnumerator<AuditLeaf> reader, long size)
        {
            for (var position = size; position < size + Lookahead && await reader.MoveNextAsync(); position++)
            {
                if (!TryReadSequence(reader.Current.Canonical.Span, out var claimed))
                {
                    break;
                }

                if (claimed != position)
                {
                    var cause = await ClassifyAsync(reader, claimed, position);
                    if (cause.Sequence < size)
                    {
                        return cause;
                    }

                    break;
                }
            }

            return new AuditFault(AuditFaultKind.Edited, _lastMatchedSize, $"records {_lastMatchedSize} to {size - 1} do not hash to the signed checkpoint of tree size {size}: one or more of them were changed")
            {
                UpTo = size,
            };
        }

        private AuditVerificationResult Result(AuditFault? fault)
        {
            var latest = _checkpoints.Count == 0 ? (long?)null : _checkpoints[^1].TreeSize;
            return new AuditVerificationResult
            {
                Fault = fault,
                PrunedBefore = _prunedBefore,
                RecordsChecked = _checked,
                TreeSize = _frontier.Size,
                RootHash = _frontier.Root(),
                CheckpointsMatched = _matched,
                CheckpointsSignatureOnly = _signatureOnly,
                LatestCheckpointSize = latest,
                UnsignedRecords = Math.Max(0, _frontier.Size - (latest ?? 0)),
            };
        }

        // The fixed start of the canonical bytes places the record; the leaf hash covers every other byte.
        private static bool TryReadSequence(ReadOnlySpan<byte> canonical, out long sequence) =>
            AuditRecordEncoding.TryReadSequence(canonical, out sequence);

        private static long? TryReadSize(string note)
        {
            var lines = note.Split('\n');
            return lines.Length > 1 && long.TryParse(lines[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : null;
        }
    }
}
