using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteAgentStore(SqliteDatabase database) : IAgentStore
{
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentBag<SqliteAgentReader> _readers = [];
    private volatile bool _released;

    private const string Columns = "name, spiffe_id, owner, status, attestation_methods, metadata, created_at, updated_at";

    public async Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var insert = connection.Command(
                transaction,
                $"INSERT INTO agents ({Columns}) VALUES (@name, @spiffe, @owner, @status, @methods, @metadata, @created, @updated);",
                ("@name", agent.Name),
                ("@spiffe", agent.SpiffeId.ToString()),
                ("@owner", agent.Owner),
                ("@status", WireName.Of(agent.Status)),
                ("@methods", StoreJson.WriteMethods(agent.AttestationMethods)),
                ("@metadata", StoreJson.WriteMap(agent.Metadata)),
                ("@created", agent.CreatedAt.ToDb()),
                ("@updated", agent.UpdatedAt.ToDb())))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var key in agent.PublicKeys)
            {
                await InsertKeyAsync(connection, transaction, agent.Name, key, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
        catch (SqliteException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<Agent?> GetAsync(string name, CancellationToken cancellationToken)
    {
        // The token endpoint reads an agent per request: reuse a connection with the query prepared.
        var reader = _readers.TryTake(out var idle) ? idle : await SqliteAgentReader.OpenAsync(database, cancellationToken);
        Agent? agent;
        try
        {
            agent = await reader.ReadAsync(name, cancellationToken);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }

        if (_released || _readers.Count >= MaxIdleReaders)
        {
            await reader.DisposeAsync();
        }
        else
        {
            _readers.Add(reader);
            if (_released)
            {
                // Released while this read ran: close what was just put back too.
                await ReleaseReadersAsync();
            }
        }

        return agent;
    }

    /// <summary>Closes the idle readers' connections, so the database file can be moved or deleted.</summary>
    public async ValueTask ReleaseReadersAsync()
    {
        _released = true;
        while (_readers.TryTake(out var reader))
        {
            await reader.DisposeAsync();
        }
    }

    public async Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, "spiffe_id", spiffeId, cancellationToken);
    }

    public async Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var filter = owner is null ? string.Empty : " WHERE owner = @owner";
        var keyFilter = owner is null ? string.Empty : " WHERE agent IN (SELECT name FROM agents WHERE owner = @owner)";
        var keys = await ReadKeysAsync(connection, transaction, $"SELECT agent, kid, thumbprint, jwk, added_at FROM agent_keys{keyFilter} ORDER BY agent, added_at, kid;", owner, cancellationToken);
        await using var command = connection.Command(transaction, $"SELECT {Columns} FROM agents{filter} ORDER BY name;", ("@owner", owner));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var agents = new List<Agent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            agents.Add(ReadAgent(reader, keys));
        }

        return agents;
    }

    public async Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE agents SET status = @status, updated_at = @now WHERE name = @name;",
            ("@status", WireName.Of(status)),
            ("@now", now.ToDb()),
            ("@name", name));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return new(StoreOutcome.NotFound, null);
        }

        return Found(await GetAsync(connection, "name", name, cancellationToken));
    }

    public async Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            if (!await TouchAsync(connection, transaction, name, now, cancellationToken))
            {
                return new(StoreOutcome.NotFound, null);
            }

            try
            {
                await InsertKeyAsync(connection, transaction, name, key, cancellationToken);
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                return new(StoreOutcome.AlreadyExists, null);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return Found(await GetAsync(connection, "name", name, cancellationToken));
    }

    public async Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var delete = connection.Command(transaction, "DELETE FROM agent_keys WHERE agent = @name AND kid = @kid;", ("@name", name), ("@kid", kid));
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new(StoreOutcome.NotFound, null);
            }

            await TouchAsync(connection, transaction, name, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Found(await GetAsync(connection, "name", name, cancellationToken));
    }

    private static StoreResult<Agent> Found(Agent? agent) =>
        agent is null ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, agent);

    private static async Task<bool> TouchAsync(SqliteConnection connection, SqliteTransaction transaction, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var touch = connection.Command(transaction, "UPDATE agents SET updated_at = @now WHERE name = @name;", ("@now", now.ToDb()), ("@name", name));
        return await touch.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task InsertKeyAsync(SqliteConnection connection, SqliteTransaction transaction, string agent, AgentKey key, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            transaction,
            "INSERT INTO agent_keys (agent, kid, thumbprint, jwk, added_at) VALUES (@agent, @kid, @thumbprint, @jwk, @added);",
            ("@agent", agent),
            ("@kid", key.Kid),
            ("@thumbprint", key.Thumbprint),
            ("@jwk", key.Jwk),
            ("@added", key.AddedAt.ToDb()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Agent?> GetAsync(SqliteConnection connection, string column, string value, CancellationToken cancellationToken)
    {
        // One statement, so the agent and its keys come from one consistent snapshot.
        await using var command = connection.Command(
            $"SELECT a.name, a.spiffe_id, a.owner, a.status, a.attestation_methods, a.metadata, a.created_at, a.updated_at, " +
            $"k.kid, k.thumbprint, k.jwk, k.added_at FROM agents a LEFT JOIN agent_keys k ON k.agent = a.name " +
            $"WHERE a.{column} = @value ORDER BY k.added_at, k.kid;",
            ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadOneAsync(reader, cancellationToken);
    }

    /// <summary>An agent from the rows of the agent-with-keys join (one row per key, or one without keys).</summary>
    internal static async Task<Agent?> ReadOneAsync(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        Agent? agent = null;
        var keys = new List<AgentKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            agent ??= ReadAgent(reader, []);
            if (!reader.IsDBNull(8))
            {
                keys.Add(new AgentKey(reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetTime(11)));
            }
        }

        return agent is null ? null : agent with { PublicKeys = keys };
    }

    private static async Task<Dictionary<string, List<AgentKey>>> ReadKeysAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string? argument, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, sql, ("@owner", argument));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new Dictionary<string, List<AgentKey>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var agent = reader.GetString(0);
            if (!keys.TryGetValue(agent, out var list))
            {
                keys[agent] = list = [];
            }

            list.Add(new AgentKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetTime(4)));
        }

        return keys;
    }

    private static Agent ReadAgent(SqliteDataReader reader, Dictionary<string, List<AgentKey>> keys)
    {
        var name = reader.GetString(0);
        if (!WireName.TryParse(reader.GetString(3), out AgentStatus status))
        {
            throw new InvalidDataException($"agent {name} has an unknown status in the database");
        }

        return new Agent(
            name,
            SpiffeId.Parse(reader.GetString(1)),
            reader.GetString(2),
            status,
            StoreJson.ReadMethods(reader.GetString(4)),
            StoreJson.ReadMap(reader.GetString(5)),
            keys.TryGetValue(name, out var list) ? list : [],
            reader.GetTime(6),
            reader.GetTime(7));
    }
}
