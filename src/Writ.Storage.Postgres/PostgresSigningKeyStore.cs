using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresSigningKeyStore(NpgsqlDataSource database) : ISigningKeyStore
{
    private const string Columns = "kid, algorithm, public_jwk, protected_private_key, root_key_id, status, created_at, activates_at, retires_at, sequence";

    public async Task<StoreResult> AddAsync(SigningKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO signing_keys ({Columns}) VALUES (@kid, @alg, @jwk, @private, @root, @status, @created, @activates, @retires, @sequence);",
            ("@kid", key.Kid),
            ("@alg", key.Algorithm),
            ("@jwk", key.PublicJwk),
            ("@private", key.ProtectedPrivateKey),
            ("@root", key.RootKeyId),
            ("@status", WireName.Of(key.Status)),
            ("@created", key.CreatedAt),
            ("@activates", key.ActivatesAt),
            ("@retires", key.RetiresAt),
            ("@sequence", key.Sequence));
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

    public async Task<SigningKey?> GetAsync(string kid, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM signing_keys WHERE kid = @value;", cancellationToken, ("@value", kid));
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM signing_keys ORDER BY sequence;", cancellationToken);

    public async Task<StoreResult<SigningKey>> UpdateScheduleAsync(string kid, SigningKeyStatus status, DateTimeOffset? retiresAt, CancellationToken cancellationToken)
    {
        var updated = await QueryAsync(
            $"UPDATE signing_keys SET status = @status, retires_at = @retires WHERE kid = @value RETURNING {Columns};",
            cancellationToken,
            ("@value", kid),
            ("@status", WireName.Of(status)),
            ("@retires", retiresAt));
        return updated.Count == 0 ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, updated[0]);
    }

    private async Task<List<SigningKey>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, parameters);
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
                reader.GetFieldValue<byte[]>(3),
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
