using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresAdminTokenStore(NpgsqlDataSource database) : IAdminTokenStore
{
    private const string Columns = "name, owner, token_hash, created_at, revoked_at, created_by";

    public async Task<StoreResult> AddAsync(AdminToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO admin_tokens ({Columns}) VALUES (@name, @owner, @hash, @created, @revoked, @by);",
            ("@name", token.Name),
            ("@owner", token.Owner),
            ("@hash", token.TokenHash),
            ("@created", token.CreatedAt),
            ("@revoked", token.RevokedAt),
            ("@by", token.CreatedBy));
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

    public async Task<AdminToken?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM admin_tokens WHERE name = @value;", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<AdminToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM admin_tokens WHERE token_hash = @value;", tokenHash, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<AdminToken>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM admin_tokens ORDER BY name;", null, cancellationToken);

    public async Task<StoreResult<AdminToken>> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var revoked = await QueryAsync(
            $"UPDATE admin_tokens SET revoked_at = COALESCE(revoked_at, @now) WHERE name = @value RETURNING {Columns};",
            name,
            cancellationToken,
            now);
        return revoked.Count == 0 ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, revoked[0]);
    }

    private async Task<List<AdminToken>> QueryAsync(string sql, string? value, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = now is { } at
            ? connection.Command(sql, ("@value", value), ("@now", at))
            : connection.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<AdminToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new AdminToken(
                reader.GetString(0),
                reader.GetNullableString(1),
                reader.GetString(2),
                reader.GetTime(3),
                reader.GetNullableTime(4),
                reader.GetNullableString(5)));
        }

        return tokens;
    }
}
