using System.Globalization;
using BenchmarkDotNet.Attributes;
using Writ.Core.Leases;
using Writ.Storage.Sqlite;

namespace Writ.Bench.Leases;

/// <summary>
/// What a lease costs Writ on the embedded store (a SQLite file in WAL mode): recording one issued
/// lease, the reaper's due query and the stuck count over a table already holding
/// <see cref="Preloaded"/> active leases. Writ keeps no active leases in memory, so the memory held per
/// lease is the store's row cost; the setup prints it (file growth per row, indexes included).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class LeaseStoreBenchmarks : IDisposable
{
    public const int Preloaded = 200_000;

    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private SqliteWritStore _store = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "writ-bench-leases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _store = new SqliteWritStore(Path.Combine(_directory, SqliteWritStore.DatabaseFileName));
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        Checkpoint();
        var before = DatabaseBytes();
        for (var i = 0; i < Preloaded; i++)
        {
            Add("pre", i);
        }

        Checkpoint();
        var perRow = (double)(DatabaseBytes() - before) / Preloaded;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// lease row cost on SQLite: {perRow:F0} bytes per active lease ({perRow * 1_000_000 / (1024 * 1024):F0} MiB per million), from {Preloaded} rows"));
    }

    [Benchmark(Description = "record one issued lease (SQLite insert, own transaction)")]
    public void RecordLease() => Add("run", Interlocked.Increment(ref _next));

    [Benchmark(Description = "reaper due query (nothing due)")]
    public int DueQuery() => _store.Leases.ListDueAsync(T0, LeaseReaping.BatchSize, CancellationToken.None).GetAwaiter().GetResult().Count;

    [Benchmark(Description = "stuck count (failed_revocation)")]
    public long StuckCount() => _store.Leases.CountAsync(LeaseState.FailedRevocation, CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Dispose()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private void Add(string prefix, long i)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"lse_{prefix}_{i:D10}_aaaaaaaaaaaa");
        var lease = Lease.Issue(id, LeaseKind.AccessToken, "tsk_" + (i % 5000).ToString("D8", CultureInfo.InvariantCulture) + "abcdefgh", "research-agent", "alice", null, "jti_" + id, T0, T0.AddMinutes(5 + (i % 60)), T0.AddHours(1));
        _store.Leases.AddAsync(lease, CancellationToken.None).GetAwaiter().GetResult();
    }

    private void Checkpoint()
    {
        // Bring the WAL into the main file so its size reflects what is stored.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _store.DatabasePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    private long DatabaseBytes() => new FileInfo(_store.DatabasePath).Length;
}
