using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresOwnerStore(NpgsqlDataSource database) : IOwnerStore
{
    private const string Columns = "name, display_name, email, created_at";

    public async Task<StoreResult> AddAsync(Owner owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO owners ({Columns}) VALUES (@name, @display, @email, @created);",
            ("@name", owner.Name),
            ("@display", owner.DisplayName),
            ("@email", owner.Email),
            ("@created", owner.CreatedAt));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
    }

    public async Task<Owner?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var owners = await QueryAsync($"SELECT {Columns} FROM owners WHERE name = @value;", name, cancellationToken);
        return owners.Count == 0 ? null : owners[0];
    }

    public async Task<IReadOnlyList<Owner>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM owners ORDER BY name;", null, cancellationToken);

    private async Task<List<Owner>> QueryAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new List<Owner>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(new Owner(reader.GetString(0), reader.GetNullableString(1), reader.GetNullableString(2), reader.GetTime(3)));
        }

        return owners;
    }
}
