using Microsoft.Data.Sqlite;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Storage;
using Writ.Storage.Sqlite;

namespace Writ.Cli.Tests.Audit;

// A real SQLite data directory holding an audit log appended through the store in batches, each
// batch with a signed checkpoint, and raw SQL to tamper with it afterwards.
internal sealed class AuditDataDirectory : IDisposable
{
    public const string Origin = "writ.test/audit";

    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private AuditDataDirectory(string directory, AuditSigningKey key)
    {
        Directory = directory;
        Key = key;
    }

    public string Directory { get; }

    public AuditSigningKey Key { get; }

    public string DatabasePath => Path.Combine(Directory, SqliteWritStore.DatabaseFileName);

    public static async Task<AuditDataDirectory> CreateAsync(int records, int batch, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("writ-audit-verify-").FullName;
        var key = AuditSigningKey.Generate(Origin);
        await using var store = SqliteWritStore.ForDataDirectory(directory);
        await store.MigrateAsync(cancellationToken);
        await AppendLogAsync(store, key, records, batch, cancellationToken);
        return new AuditDataDirectory(directory, key);
    }

    // Stores the audit key and appends `records` records in batches, each with its checkpoint.
    public static async Task AppendLogAsync(IWritStore store, AuditSigningKey key, int records, int batch, CancellationToken cancellationToken)
    {
        using var rootKey = RootKey.Generate();
        await store.Audit.GetOrAddSigningKeyAsync(new StoredAuditKey(key.Name, key.VerifierKey.PublicKey.ToArray(), key.ExportProtected(rootKey), Start), cancellationToken);
        for (var appended = 0; appended < records; appended += batch)
        {
            var count = Math.Min(batch, records - appended);
            await store.Audit.AppendAsync(head => Build(head, count, key), cancellationToken);
        }
    }

    public static byte[] Encode(long sequence, string decision = "allow") =>
        AuditRecordEncoding.Encode(Record(sequence) with { Decision = decision });

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<string> ReadNoteAsync(long treeSize)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT note FROM audit_checkpoint WHERE tree_size = @size;";
        command.Parameters.AddWithValue("@size", treeSize);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        Key.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static AuditRecord Record(long sequence) => AuditRecord.Create(sequence, Start.AddMilliseconds(sequence), new AuditEvent
    {
        Type = sequence % 2 == 0 ? AuditEventTypes.Decision : AuditEventTypes.IdentityIssued,
        Agent = $"spiffe://acme.test/agent/a{sequence % 5}",
        Owner = "team-a",
        Decision = "allow",
        Detail = new Dictionary<string, string> { ["jti"] = $"j{sequence}" },
    });

    private static AuditBatch Build(AuditHead head, int count, AuditSigningKey key)
    {
        var frontier = head.Frontier.Length == 0 ? new MerkleFrontier() : MerkleFrontier.FromBytes(head.Frontier);
        var records = new List<StoredAuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var record = Record(head.TreeSize + i);
            var canonical = AuditRecordEncoding.Encode(record);
            var leaf = MerkleHash.HashLeaf(canonical);
            frontier.Append(leaf);
            records.Add(new StoredAuditRecord(record.Sequence, record.Time, record.Type, record.Agent, record.Owner, record.TaskId, record.Decision, record.Actor, canonical, leaf));
        }

        var root = frontier.Root();
        var note = key.SignCheckpoint(new Checkpoint(key.Name, frontier.Size, root));
        return new AuditBatch(records, frontier.ToBytes(), new StoredCheckpoint(frontier.Size, root, Start, note));
    }
}
