using Microsoft.Data.Sqlite;
using Writ.Core.Audit;
using Writ.Storage.Sqlite;

namespace Writ.Cli.Demo;

// Verifies the audit log straight from the SQLite store (as `writ audit verify` does), and shows what
// tampering looks like: a consistent copy of the store, one record's decision rewritten from deny to allow
// in the copy, and the verifier pointing at that record. The live store is only ever read.
internal static class AuditTamper
{
    private static readonly byte[] Deny = "\"decision\":\"deny\""u8.ToArray();
    private static readonly byte[] Allow = "\"decision\":\"allow\""u8.ToArray();

    public static async Task<AuditVerificationResult> VerifyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, SqliteWritStore.DatabaseFileName);
        if (!File.Exists(file))
        {
            throw new DemoException($"no Writ database in {dataDirectory}");
        }

        await using var store = new SqliteWritStore(file);
        var verification = await AuditStoreVerifier.VerifyAsync(store.Audit, null, [], null, cancellationToken);
        return verification.Result;
    }

    // Copies the live store into copyDirectory (SQLite's VACUUM INTO: one consistent snapshot, WAL included)
    // and rewrites the decision of record `sequence` there, leaving its stored leaf hash as it was.
    public static async Task CopyAndTamperAsync(string dataDirectory, string copyDirectory, long sequence, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(copyDirectory);
        var copy = Path.Combine(copyDirectory, SqliteWritStore.DatabaseFileName);
        var live = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, SqliteWritStore.DatabaseFileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using (var connection = new SqliteConnection(live.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $copy";
            vacuum.Parameters.AddWithValue("$copy", copy);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        var target = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var tampered = new SqliteConnection(target.ConnectionString);
        await tampered.OpenAsync(cancellationToken);
        await using var read = tampered.CreateCommand();
        read.CommandText = "SELECT canonical FROM audit_record WHERE seq = $seq";
        read.Parameters.AddWithValue("$seq", sequence);
        var canonical = await read.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new DemoException($"the copy has no audit record {sequence}");
        var at = canonical.AsSpan().IndexOf(Deny);
        if (at < 0)
        {
            throw new DemoException($"audit record {sequence} is not a deny decision");
        }

        byte[] edited = [.. canonical.AsSpan(0, at), .. Allow, .. canonical.AsSpan(at + Deny.Length)];
        await using var write = tampered.CreateCommand();
        write.CommandText = "UPDATE audit_record SET canonical = $canonical, decision = 'allow' WHERE seq = $seq";
        write.Parameters.AddWithValue("$canonical", edited);
        write.Parameters.AddWithValue("$seq", sequence);
        await write.ExecuteNonQueryAsync(cancellationToken);
    }
}
