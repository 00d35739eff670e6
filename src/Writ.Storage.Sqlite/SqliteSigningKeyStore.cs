using Microsoft.Data.Sqlite;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteSigningKeyStore(SqliteDatabase database) : ISigningKeyStore
{
    private const string Columns = "kid, algorithm, public_jwk, protected_private_key, root_key_id, status, created_at, activates_at, retires_at, sequence";

    public async Task<StoreResult> AddAsync(SigningKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO signing_keys ({Columns}) VALUES (@kid, @alg, @jwk, @private, @root, @status, @created, @activates, @retires, @sequence);",
            ("@kid", key.Kid),
            ("@alg", key.Algorithm),
            ("@jwk", key.PublicJwk),
            ("@private", key.ProtectedPrivateKey),
            ("@root", key.RootKeyId),
            ("@status", WireName.Of(key.Status)),
            ("@created", key.CreatedAt.ToDb()),
            ("@activates", key.ActivatesAt.ToDb()),
            ("@retires", key.RetiresAt.ToDb()),
            ("@sequence", key.Sequence));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
    }

    public async Task<SigningKey?> GetAsync(string kid, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM signing_keys WHERE kid = @value;", kid, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM signing_keys ORDER BY sequence;", null, cancellationToken);

    public async Task<StoreResult<SigningKey>> UpdateScheduleAsync(string kid, SigningKeyStatus status, DateTimeOffset? retiresAt, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var command = connection.Command(
                "UPDATE signing_keys SET status = @status, retires_at = @retires WHERE kid = @kid;",
                ("@status", WireName.Of(status)),
                ("@retires", retiresAt.ToDb()),
                ("@kid", kid));
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new(StoreOutcome.NotFound, null);
            }
        }

        var key = await GetAsync(kid, cancellationToken);
        return key is null ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, key);
    }

    private async Task<List<SigningKey>> QueryAsync(string sql, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<SigningKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var kid = reader.GetString(0);
            if (!WireName.TryParse(reader.GetString(5), out SigningKeyStatus status))
            {
                throw new InvalidDataException($"signing key {kid} has an unknown status in the database");
            }

            keys.Add(new SigningKey(
                kid,
                reader.GetString(1),
                reader.GetString(2),
                (byte[])reader.GetValue(3),
                reader.GetString(4),
                status,
                reader.GetTime(6),
                reader.GetTime(7),
                reader.GetNullableTime(8),
                reader.GetInt64(9)));
        }

        return keys;
    }
}
