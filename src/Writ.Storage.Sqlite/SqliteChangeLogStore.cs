using System.Globalization;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteChangeLogStore(SqliteDatabase database) : IChangeLogStore
{
    public async Task<ChangeRecord> AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO change_log (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail) RETURNING id;",
            ("@at", record.At.ToDb()),
            ("@actor", record.Actor),
            ("@action", record.Action),
            ("@target", record.Target),
            ("@detail", record.Detail));
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return record with { Id = id };
    }

    public async Task<IReadOnlyList<ChangeRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
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
