using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Storage.Sqlite;

namespace Writ.Bench.AuditAppend;

/// <summary>
/// Durable audit appends per second on SQLite (WAL, <c>synchronous=FULL</c>), side by side in one run:
/// the audit log's group commit with <see cref="Writers"/> concurrent writers each waiting for
/// durability (<c>RecordDurableAsync</c>: encode, hash, frontier, checkpoint every 1,000, one
/// transaction per batch), against the raw ceiling of the same file with the same sync setting: plain
/// prepared inserts of rows of the same size, <see cref="Writers"/> rows per transaction, which is the
/// most records one sync can carry when that many writers each wait for their record.
/// OperationsPerInvoke makes the reported time the time per record.
/// </summary>
[MedianColumn]
public class AuditAppendBenchmarks : IDisposable
{
    public const int Writers = 8;
    private const int PerWriter = 250;
    private const int Records = Writers * PerWriter;

    private string _data = null!;
    private SqliteWritStore _store = null!;
    private RootKey _rootKey = null!;
    private AuditLogService _log = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private AuditEvent[] _events = null!;
    private byte[] _canonical = null!;
    private byte[] _leaf = null!;
    private long _rawSequence;

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("writ-bench-audit-append-").FullName;
        _store = SqliteWritStore.ForDataDirectory(_data);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _rootKey = RootKey.Generate();
        _log = new AuditLogService(_store.Audit, _rootKey, "writ.bench/audit", new AuditOptions(), TimeProvider.System);
        _log.EnsureStartedAsync(CancellationToken.None).GetAwaiter().GetResult();
        _events = [.. Enumerable.Range(0, Writers).Select(Event)];

        // Raw rows carry as many bytes as a real record of the same event.
        _canonical = AuditRecordEncoding.Encode(AuditRecord.Create(1_000_000, DateTimeOffset.UtcNow, _events[0]));
        _leaf = MerkleHash.HashLeaf(_canonical);
        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _store.DatabasePath, Pooling = false }.ToString());
        _raw.Open();
        Execute("PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");
        Execute("CREATE TABLE IF NOT EXISTS bench_raw (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, agent TEXT, owner TEXT, task_id TEXT, decision TEXT, actor TEXT, canonical BLOB NOT NULL, leaf_hash BLOB NOT NULL);");
        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO bench_raw VALUES ($seq, $at, $type, $agent, $owner, $task, $decision, NULL, $canonical, $leaf);";
        foreach (var name in new[] { "$seq", "$at", "$type", "$agent", "$owner", "$task", "$decision", "$canonical", "$leaf" })
        {
            _insert.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        _insert.Prepare();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        if (_data is null || !Directory.Exists(_data))
        {
            return;
        }

        GC.SuppressFinalize(this);
        _insert.Dispose();
        _raw.Dispose();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rootKey.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "raw ceiling: 8 rows per FULL-sync transaction")]
    public void RawBatchedInserts()
    {
        for (var batch = 0; batch < Records / Writers; batch++)
        {
            using var transaction = _raw.BeginTransaction(deferred: false);
            _insert.Transaction = transaction;
            for (var i = 0; i < Writers; i++)
            {
                var p = _insert.Parameters;
                p[0].Value = _rawSequence++;
                p[1].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
                p[2].Value = _events[i].Type;
                p[3].Value = _events[i].Agent;
                p[4].Value = _events[i].Owner;
                p[5].Value = _events[i].TaskId;
                p[6].Value = _events[i].Decision;
                p[7].Value = _canonical;
                p[8].Value = _leaf;
                _insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "group commit: 8 writers, RecordDurableAsync")]
    public void GroupCommitEightWriters() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; n < PerWriter; n++)
            {
                await _log.RecordDurableAsync(_events[w], CancellationToken.None);
            }
        }))).GetAwaiter().GetResult();

    private static AuditEvent Event(int writer) => new()
    {
        Type = AuditEventTypes.Decision,
        Agent = $"spiffe://acme.test/agent/research-{writer}",
        Owner = "team-research",
        TaskId = "tsk_01JDZQ7N9K3V5XG8W2M4P6R0T" + writer,
        Chain = ["spiffe://acme.test/agent/planner", $"spiffe://acme.test/agent/research-{writer}"],
        Target = "github:repos/acme/widgets/issues",
        Decision = "allow",
        Reason = "permit policy intent-read-issues",
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        Policies = ["intent-read-issues"],
        Detail = new Dictionary<string, string> { ["tool"] = "list_issues", ["sensitivity"] = "internal" },
    };

    private void Execute(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
