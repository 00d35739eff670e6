using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresChangeLogStore(NpgsqlDataSource database) : IChangeLogStore
{
    public async Task<ChangeRecord> AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO change_log (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail) RETURNING id;",
            ("@at", record.At),
            ("@actor", record.Actor),
            ("@action", record.Action),
            ("@target", record.Target),
            ("@detail", record.Detail));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return record with { Id = id };
    }

    public async Task<IReadOnlyList<ChangeRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, at, actor, action, target, detail FROM change_log ORDER BY id DESC LIMIT @limit;",
            ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<ChangeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ChangeRecord(reader.GetInt64(0), reader.GetTime(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5)));
        }

        return records;
    }
}
