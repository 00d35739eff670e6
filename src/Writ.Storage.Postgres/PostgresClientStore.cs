using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresClientStore(NpgsqlDataSource database) : IClientStore
{
    private const string Columns = "name, owner, auth_method, secret_hash, jwks, created_at, disabled";

    public async Task<StoreResult> AddAsync(Client client, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO clients ({Columns}) VALUES (@name, @owner, @method, @hash, @jwks, @created, @disabled);",
            ("@name", client.Name),
            ("@owner", client.Owner),
            ("@method", WireName.Of(client.AuthMethod)),
            ("@hash", client.SecretHash),
            ("@jwks", client.Jwks),
            ("@created", client.CreatedAt),
            ("@disabled", client.Disabled));
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

    public async Task<Client?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM clients WHERE name = @value;", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<Client>> ListAsync(string? owner, CancellationToken cancellationToken) =>
        owner is null
            ? await QueryAsync($"SELECT {Columns} FROM clients ORDER BY name;", null, cancellationToken)
            : await QueryAsync($"SELECT {Columns} FROM clients WHERE owner = @value ORDER BY name;", owner, cancellationToken);

    public async Task<StoreResult<Client>> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken)
    {
        var changed = await QueryAsync(
            $"UPDATE clients SET disabled = @disabled WHERE name = @value RETURNING {Columns};",
            name,
            cancellationToken,
            disabled);
        return changed.Count == 0 ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, changed[0]);
    }

    public async Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM clients WHERE name = @name;", ("@name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 0 ? StoreResult.NotFound : StoreResult.Success;
    }

    private async Task<List<Client>> QueryAsync(string sql, string? value, CancellationToken cancellationToken, bool? disabled = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = disabled is { } flag
            ? connection.Command(sql, ("@value", value), ("@disabled", flag))
            : connection.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clients = new List<Client>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (!WireName.TryParse(reader.GetString(2), out ClientAuthMethod method))
            {
                throw new InvalidDataException($"client {name} has an unknown authentication method in the database");
            }

            clients.Add(new Client(
                name,
                reader.GetNullableString(1),
                method,
                reader.GetNullableString(3),
                reader.GetNullableString(4),
                reader.GetTime(5),
                reader.GetBoolean(6)));
        }

        return clients;
    }
}
