using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresExternalIssuerStore(NpgsqlDataSource database) : IExternalIssuerStore
{
    private const string Columns = "name, issuer, audience, jwks_uri, jwks, rules, created_at, created_by";

    public async Task<StoreResult> AddAsync(ExternalIssuer issuer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO external_issuers ({Columns}) VALUES (@name, @issuer, @audience, @jwksUri, @jwks, @rules, @created, @by);",
            ("@name", issuer.Name),
            ("@issuer", issuer.Issuer),
            ("@audience", issuer.Audience),
            ("@jwksUri", issuer.JwksUri),
            ("@jwks", issuer.Jwks),
            ("@rules", PostgresJson.WriteRules(issuer.Rules)),
            ("@created", issuer.CreatedAt),
            ("@by", issuer.CreatedBy));
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

    public async Task<ExternalIssuer?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM external_issuers WHERE name = @value;", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<ExternalIssuer>> FindByIssuerAsync(string issuer, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM external_issuers WHERE issuer = @value ORDER BY name;", issuer, cancellationToken);

    public async Task<IReadOnlyList<ExternalIssuer>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM external_issuers ORDER BY name;", null, cancellationToken);

    public async Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM external_issuers WHERE name = @name;", ("@name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 0 ? StoreResult.NotFound : StoreResult.Success;
    }

    private async Task<List<ExternalIssuer>> QueryAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var issuers = new List<ExternalIssuer>();
        while (await reader.ReadAsync(cancellationToken))
        {
            issuers.Add(new ExternalIssuer(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetNullableString(3),
                reader.GetNullableString(4),
                PostgresJson.ReadRules(reader.GetString(5)),
                reader.GetTime(6),
                reader.GetNullableString(7)));
        }

        return issuers;
    }
}
