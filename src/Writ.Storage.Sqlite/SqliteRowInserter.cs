using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Writ.Storage.Sqlite;

/// <summary>
/// One INSERT prepared once on a connection's native handle and run for many rows inside the caller's
/// transaction, with parameters bound by position. The audit append and the replay cache write a row per
/// issuance; going through <see cref="SqliteCommand"/> for each would look every parameter up by name and
/// create a data reader per row.
/// </summary>
internal sealed class SqliteRowInserter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteRowInserter(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Text(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    // An empty span has no address, which SQLite would take for NULL: bind an empty blob as one.
    public void Blob(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Runs the statement with the values bound; returns how many rows it inserted (0 when a conflict was ignored).</summary>
    public int Insert()
    {
        var rc = raw.sqlite3_step(_statement);
        var changes = raw.sqlite3_changes(_db);
        var reset = raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
            throw new InvalidOperationException($"an INSERT returned rows (SQLite result {rc})");
        }

        Check(reset);
        return changes;
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
