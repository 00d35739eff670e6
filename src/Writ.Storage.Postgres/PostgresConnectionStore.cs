using Npgsql;
using Writ.Core.Connections;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

/// <summary>Connections on PostgreSQL; every operation gets one more try on a broken session (see <see cref="RetryingConnectionStore"/>).</summary>
internal sealed class PostgresConnectionStore(NpgsqlDataSource database) : IConnectionStore
{
    private readonly RetryingConnectionStore _retrying = new(new PostgresConnectionQueries(database));

    public Task<StoreResult> AddAsync(Connection connection, CancellationToken cancellationToken) => _retrying.AddAsync(connection, cancellationToken);

    public Task<Connection?> GetAsync(string name, CancellationToken cancellationToken) => _retrying.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<Connection>> ListAsync(string? owner, CancellationToken cancellationToken) => _retrying.ListAsync(owner, cancellationToken);

    public Task<StoreResult<Connection>> ReplaceSecretAsync(string name, SealedSecret expected, SealedSecret replacement, DateTimeOffset rotatedAt, CancellationToken cancellationToken) =>
        _retrying.ReplaceSecretAsync(name, expected, replacement, rotatedAt, cancellationToken);

    public Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken) => _retrying.RemoveAsync(name, cancellationToken);
}

/// <summary>The SQL of the connection store.</summary>
internal sealed class PostgresConnectionQueries(NpgsqlDataSource database) : IConnectionStore
{
    private const string Columns = "id, name, owner, kind, settings, metadata, kek_id, secret, created_at, rotated_at";

    public async Task<StoreResult> AddAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var db = await database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Command(
            $"INSERT INTO connections ({Columns}) VALUES (@id, @name, @owner, @kind, @settings, @metadata, @kek, @secret, @created, @rotated);",
            ("@id", connection.Id),
            ("@name", connection.Name),
            ("@owner", connection.Owner),
            ("@kind", ConnectionKinds.Of(connection.Kind)),
            ("@settings", connection.Settings.ToJson()),
            ("@metadata", PostgresJson.WriteMap(connection.Metadata)),
            ("@kek", connection.Secret.KekId),
            ("@secret", connection.Secret.Ciphertext),
            ("@created", connection.CreatedAt.ToDb()),
            ("@rotated", connection.RotatedAt?.ToDb()));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
        catch (PostgresException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<Connection?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM connections WHERE name = @value;", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<Connection>> ListAsync(string? owner, CancellationToken cancellationToken) =>
        owner is null
            ? await QueryAsync($"SELECT {Columns} FROM connections ORDER BY name;", null, cancellationToken)
            : await QueryAsync($"SELECT {Columns} FROM connections WHERE owner = @value ORDER BY name;", owner, cancellationToken);

    public async Task<StoreResult<Connection>> ReplaceSecretAsync(string name, SealedSecret expected, SealedSecret replacement, DateTimeOffset rotatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        await using (var db = await database.OpenConnectionAsync(cancellationToken))
        {
            await using var command = db.Command(
                "UPDATE connections SET kek_id = @kek, secret = @secret, rotated_at = @rotated WHERE name = @name AND kek_id = @oldKek AND secret = @oldSecret;",
                ("@kek", replacement.KekId),
                ("@secret", replacement.Ciphertext),
                ("@rotated", rotatedAt.ToDb()),
                ("@name", name),
                ("@oldKek", expected.KekId),
                ("@oldSecret", expected.Ciphertext));
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new StoreResult<Connection>(StoreOutcome.NotFound, null);
            }
        }

        var updated = await GetAsync(name, cancellationToken);
        return updated is null ? new StoreResult<Connection>(StoreOutcome.NotFound, null) : new StoreResult<Connection>(StoreOutcome.Success, updated);
    }

    public async Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Command("DELETE FROM connections WHERE name = @name;", ("@name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 0 ? StoreResult.NotFound : StoreResult.Success;
    }

    private async Task<List<Connection>> QueryAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var connections = new List<Connection>();
        while (await reader.ReadAsync(cancellationToken))
        {
            connections.Add(Read(reader));
        }

        return connections;
    }

    private static Connection Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ConnectionKinds.TryParse(reader.GetString(3), out var kind) ? kind : throw new InvalidDataException($"unknown connection kind '{reader.GetString(3)}' in the database"),
        ConnectionSettings.FromJson(reader.GetString(4)),
        PostgresJson.ReadMap(reader.GetString(5)),
        new SealedSecret(reader.GetString(6), (byte[])reader.GetValue(7)),
        reader.GetTime(8),
        reader.GetNullableTime(9));
}
