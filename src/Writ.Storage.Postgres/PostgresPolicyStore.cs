using Npgsql;
using Writ.Core.Policy;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresPolicyStore(NpgsqlDataSource database) : IPolicyStore
{
    private const string StoreColumns = "v.store, v.version, v.schema_text, v.schema_format, v.entities, v.policies, v.change, v.created_at, v.created_by";

    public async Task<PolicySetVersion> AddPolicySetAsync(IReadOnlyList<PolicyFile> files, string? description, DateTimeOffset at, string by, bool activate, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // The table lock (which readers do not wait for) is taken before reading the highest version, so two
        // servers applying at once never get the same number.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long version;
        await using (var next = connection.Command(transaction, "LOCK TABLE policy_sets IN SHARE ROW EXCLUSIVE MODE; SELECT COALESCE(MAX(version), 0) + 1 FROM policy_sets;"))
        {
            version = (long)(await next.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var insert = connection.Command(
            transaction,
            "INSERT INTO policy_sets (version, files, description, created_at, created_by) VALUES (@version, @files, @description, @at, @by);",
            ("@version", version),
            ("@files", PolicyFileJson.Write(files)),
            ("@description", description),
            ("@at", at),
            ("@by", by)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (activate)
        {
            await SetActiveAsync(connection, transaction, version, at, by, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PolicySetVersion(version, files, description, at.ToDb(), by);
    }

    public async Task<PolicySetVersion?> GetPolicySetAsync(long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT version, files, description, created_at, created_by FROM policy_sets WHERE version = @version;",
            ("@version", version));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PolicySetVersion(reader.GetInt64(0), PolicyFileJson.Read(reader.GetString(1)), reader.GetNullableString(2), reader.GetTime(3), reader.GetString(4))
            : null;
    }

    public async Task<IReadOnlyList<PolicySetInfo>> ListPolicySetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT version, description, created_at, created_by FROM policy_sets ORDER BY version DESC;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<PolicySetInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PolicySetInfo(reader.GetInt64(0), reader.GetNullableString(1), reader.GetTime(2), reader.GetString(3)));
        }

        return list;
    }

    public async Task<ActivePolicySetVersion?> GetActivePolicySetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT version, activated_at, activated_by FROM policy_set_active WHERE id = 1;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ActivePolicySetVersion(reader.GetInt64(0), reader.GetTime(1), reader.GetString(2)) : null;
    }

    public async Task<StoreResult> ActivatePolicySetAsync(long version, DateTimeOffset at, string by, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await SetActiveAsync(connection, transaction, version, at, by, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.NotFound;
        }
    }

    public async Task<StoreResult> CreateNamedStoreAsync(NamedPolicyStore store, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var insert = connection.Command(
                transaction,
                "INSERT INTO policy_stores (name, version, created_at, created_by) VALUES (@name, @version, @at, @by);",
                ("@name", store.Name),
                ("@version", store.Version),
                ("@at", store.CreatedAt),
                ("@by", store.CreatedBy)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await InsertVersionAsync(connection, transaction, store, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
    }

    public async Task<NamedPolicyStore?> GetNamedStoreAsync(string name, long? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = version is null
            ? connection.Command(
                $"SELECT {StoreColumns} FROM policy_stores s JOIN policy_store_versions v ON v.store = s.name AND v.version = s.version WHERE s.name = @name;",
                ("@name", name))
            : connection.Command(
                $"SELECT {StoreColumns} FROM policy_store_versions v WHERE v.store = @name AND v.version = @version;",
                ("@name", name),
                ("@version", version.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NamedPolicyStore(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetNullableString(2),
                reader.GetString(3),
                reader.GetString(4),
                PolicyFileJson.Read(reader.GetString(5)),
                reader.GetString(6),
                reader.GetTime(7),
                reader.GetString(8))
            : null;
    }

    public async Task<StoreResult> AddNamedStoreVersionAsync(NamedPolicyStore next, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int moved;
        await using (var bump = connection.Command(
            transaction,
            "UPDATE policy_stores SET version = @version WHERE name = @name AND version = @previous;",
            ("@name", next.Name),
            ("@version", next.Version),
            ("@previous", next.Version - 1)))
        {
            moved = await bump.ExecuteNonQueryAsync(cancellationToken);
        }

        if (moved == 0)
        {
            await using var exists = connection.Command(transaction, "SELECT 1 FROM policy_stores WHERE name = @name;", ("@name", next.Name));
            return await exists.ExecuteScalarAsync(cancellationToken) is null ? StoreResult.NotFound : StoreResult.AlreadyExists;
        }

        await InsertVersionAsync(connection, transaction, next, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return StoreResult.Success;
    }

    public async Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoresAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT v.store, v.version, v.change, v.created_at, v.created_by FROM policy_stores s JOIN policy_store_versions v ON v.store = s.name AND v.version = s.version ORDER BY s.name;");
        return await ReadInfosAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoreVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT store, version, change, created_at, created_by FROM policy_store_versions WHERE store = @name ORDER BY version DESC;",
            ("@name", name));
        return await ReadInfosAsync(command, cancellationToken);
    }

    public async Task<StoreResult> GrantPdpClientAsync(PdpClientGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(
                "INSERT INTO pdp_clients (client, granted_at, granted_by) VALUES (@client, @at, @by) ON CONFLICT (client) DO NOTHING;",
                ("@client", grant.Client),
                ("@at", grant.GrantedAt),
                ("@by", grant.GrantedBy));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<StoreResult> RevokePdpClientAsync(string client, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM pdp_clients WHERE client = @client;", ("@client", client));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 0 ? StoreResult.NotFound : StoreResult.Success;
    }

    public async Task<PdpClientGrant?> GetPdpClientAsync(string client, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT client, granted_at, granted_by FROM pdp_clients WHERE client = @client;", ("@client", client));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new PdpClientGrant(reader.GetString(0), reader.GetTime(1), reader.GetString(2)) : null;
    }

    public async Task<IReadOnlyList<PdpClientGrant>> ListPdpClientsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT client, granted_at, granted_by FROM pdp_clients ORDER BY client;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<PdpClientGrant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PdpClientGrant(reader.GetString(0), reader.GetTime(1), reader.GetString(2)));
        }

        return list;
    }

    private static async Task SetActiveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long version, DateTimeOffset at, string by, CancellationToken cancellationToken)
    {
        await using var upsert = connection.Command(
            transaction,
            "INSERT INTO policy_set_active (id, version, activated_at, activated_by) VALUES (1, @version, @at, @by) " +
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version, activated_at = excluded.activated_at, activated_by = excluded.activated_by;",
            ("@version", version),
            ("@at", at),
            ("@by", by));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NamedPolicyStore store, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            transaction,
            "INSERT INTO policy_store_versions (store, version, schema_text, schema_format, entities, policies, change, created_at, created_by) " +
            "VALUES (@store, @version, @schema, @format, @entities, @policies, @change, @at, @by);",
            ("@store", store.Name),
            ("@version", store.Version),
            ("@schema", store.Schema),
            ("@format", store.SchemaFormat),
            ("@entities", store.Entities),
            ("@policies", PolicyFileJson.Write(store.Policies)),
            ("@change", store.Change),
            ("@at", store.CreatedAt),
            ("@by", store.CreatedBy));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<NamedPolicyStoreInfo>> ReadInfosAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<NamedPolicyStoreInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new NamedPolicyStoreInfo(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetTime(3), reader.GetString(4)));
        }

        return list;
    }
}
