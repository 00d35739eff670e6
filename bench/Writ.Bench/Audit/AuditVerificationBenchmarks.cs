using BenchmarkDotNet.Attributes;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Storage.Sqlite;

namespace Writ.Bench.Audit;

/// <summary>
/// Audit verification speed over a log of <see cref="Records"/> records with a checkpoint every
/// 1,000 (the audit log's default cadence): the verifier alone over records already in memory
/// (decode, canonical check, leaf hash, tree, signatures), and <c>writ audit verify</c>'s whole
/// path over a real SQLite file (reading every row, checking its searchable copy too).
/// OperationsPerInvoke makes the reported time the time per record.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuditVerificationBenchmarks
{
    public const int Records = 1_000_000;
    private const int CheckpointEvery = 1000;
    private const string Origin = "writ.bench/audit";

    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly List<AuditLeaf> _leaves = new(Records);
    private readonly List<string> _notes = [];
    private AuditSigningKey _key = null!;
    private string _data = null!;
    private SqliteWritStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = AuditSigningKey.Generate(Origin);
        _data = Directory.CreateTempSubdirectory("writ-bench-audit-").FullName;
        _store = SqliteWritStore.ForDataDirectory(_data);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var rootKey = RootKey.Generate();
        _store.Audit.GetOrAddSigningKeyAsync(new StoredAuditKey(Origin, _key.VerifierKey.PublicKey.ToArray(), _key.ExportProtected(rootKey), Start), CancellationToken.None).GetAwaiter().GetResult();
        for (var appended = 0; appended < Records; appended += CheckpointEvery)
        {
            _store.Audit.AppendAsync(Batch, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _key.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "verifier, records in memory")]
    public async Task<long> InMemory()
    {
        var result = await AuditVerifier.VerifyLeavesAsync(Stream(), new AuditVerificationInput { Key = _key.VerifierKey, Checkpoints = _notes, ExpectedTreeSize = Records }, CancellationToken.None);
        return result.Verified ? result.TreeSize : throw new InvalidOperationException(result.Fault!.Message);
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "from the SQLite store")]
    public async Task<long> FromSqlite()
    {
        var verification = await AuditStoreVerifier.VerifyAsync(_store.Audit, _key.VerifierKey, [], null, CancellationToken.None);
        return verification.Result.Verified ? verification.Result.TreeSize : throw new InvalidOperationException(verification.Result.Fault!.Message);
    }

    private async IAsyncEnumerable<AuditLeaf> Stream()
    {
        foreach (var leaf in _leaves)
        {
            yield return leaf;
        }

        await Task.CompletedTask;
    }

    private AuditBatch Batch(AuditHead head)
    {
        var frontier = head.Frontier.Length == 0 ? new MerkleFrontier() : MerkleFrontier.FromBytes(head.Frontier);
        var records = new List<StoredAuditRecord>(CheckpointEvery);
        for (var i = 0; i < CheckpointEvery; i++)
        {
            var sequence = head.TreeSize + i;
            var record = AuditRecord.Create(sequence, Start.AddTicks(sequence * 37), new AuditEvent
            {
                Type = AuditEventTypes.Decision,
                Agent = $"spiffe://acme.test/agent/worker-{sequence % 50}",
                Owner = "platform-team",
                TaskId = $"task-{sequence / 20}",
                Chain = ["spiffe://acme.test/agent/planner", $"spiffe://acme.test/agent/worker-{sequence % 50}"],
                Target = "mcp:github/create_issue",
                Decision = sequence % 10 == 0 ? "deny" : "allow",
                Reason = "policy permit-github-issues",
                TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
                Policies = ["permit-github-issues"],
                Detail = new Dictionary<string, string> { ["jti"] = $"jti-{sequence}", ["latency_ms"] = "3" },
            });
            var canonical = AuditRecordEncoding.Encode(record);
            var leaf = MerkleHash.HashLeaf(canonical);
            frontier.Append(leaf);
            records.Add(new StoredAuditRecord(sequence, record.Time, record.Type, record.Agent, record.Owner, record.TaskId, record.Decision, record.Actor, canonical, leaf));
        }

        // Build runs inside the append transaction and may run again; keep the in-memory copy only once.
        if (_leaves.Count == head.TreeSize)
        {
            _leaves.AddRange(records.Select(r => new AuditLeaf(r.Canonical, r.LeafHash)));
        }

        var root = frontier.Root();
        var note = _key.SignCheckpoint(new Checkpoint(Origin, frontier.Size, root));
        if (_notes.Count * CheckpointEvery == head.TreeSize)
        {
            _notes.Add(note);
        }

        return new AuditBatch(records, frontier.ToBytes(), new StoredCheckpoint(frontier.Size, root, Start, note));
    }
}
