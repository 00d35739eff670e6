using Writ.Core.Audit;

namespace Writ.Core.Tests.Audit;

// An in-memory audit log: records, their canonical bytes, and checkpoints signed at chosen sizes.
internal sealed class TestLog : IDisposable
{
    public const string Origin = "writ.test/audit";

    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public TestLog(int count, IEnumerable<int> checkpointSizes)
    {
        Records = [.. Enumerable.Range(0, count).Select(Make)];
        Canonical = [.. Records.Select(AuditRecordEncoding.Encode)];
        var frontier = new MerkleFrontier();
        var sizes = checkpointSizes.ToHashSet();
        if (sizes.Contains(0))
        {
            Notes.Add(Key.SignCheckpoint(new Checkpoint(Origin, 0, frontier.Root())));
        }

        for (var i = 0; i < count; i++)
        {
            frontier.Append(MerkleHash.HashLeaf(Canonical[i]));
            if (sizes.Contains(i + 1))
            {
                Notes.Add(Key.SignCheckpoint(new Checkpoint(Origin, i + 1, frontier.Root())));
            }
        }
    }

    public AuditSigningKey Key { get; } = AuditSigningKey.Generate(Origin);

    public List<AuditRecord> Records { get; }

    public List<byte[]> Canonical { get; }

    public List<string> Notes { get; } = [];

    public static AuditRecord Make(int sequence) => AuditRecord.Create(sequence, Start.AddMilliseconds(sequence * 1.5), new AuditEvent
    {
        Type = sequence % 3 == 0 ? AuditEventTypes.Decision : AuditEventTypes.IdentityIssued,
        Agent = $"spiffe://acme.test/agent/a{sequence % 7}",
        Decision = sequence % 2 == 0 ? "allow" : "deny",
        Detail = new Dictionary<string, string> { ["jti"] = $"j{sequence}" },
    });

    public List<AuditLeaf> Leaves(bool withStoredHashes = true) =>
        [.. Canonical.Select(c => new AuditLeaf(c, withStoredHashes ? MerkleHash.HashLeaf(c) : ReadOnlyMemory<byte>.Empty))];

    public AuditVerificationInput Input(long? expectedTreeSize = null, MerkleFrontier? pruned = null, IProgress<long>? progress = null) => new()
    {
        Key = Key.VerifierKey,
        Checkpoints = Notes,
        ExpectedTreeSize = expectedTreeSize,
        PrunedFrontier = pruned,
        Progress = progress,
        ProgressInterval = 10,
    };

    public void Dispose() => Key.Dispose();

    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
