using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresAgentStore(NpgsqlDataSource database) : IAgentStore
{
    private const string Columns = "name, spiffe_id, owner, status, attestation_methods, metadata, created_at, updated_at";

    // One statement for an agent and its keys, so both come from one snapshot.
    private const string WithKeys =
        "SELECT a.name, a.spiffe_id, a.owner, a.status, a.attestation_methods::text, a.metadata::text, a.created_at, a.updated_at, " +
        "k.kid, k.thumbprint, k.jwk, k.added_at FROM agents a LEFT JOIN agent_keys k ON k.agent = a.name";

    public async Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // The agent and its keys are one write: a failure on any key (or a lost connection) rolls
        // the agent back too.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var insert = connection.Command(
                transaction,
                $"INSERT INTO agents ({Columns}) VALUES (@name, @spiffe, @owner, @status, @methods, @metadata, @created, @updated);",
                ("@name", agent.Name),
                ("@spiffe", agent.SpiffeId.ToString()),
                ("@owner", agent.Owner),
                ("@status", WireName.Of(agent.Status)),
                ("@methods", PostgresJson.WriteMethods(agent.AttestationMethods)),
                ("@metadata", PostgresJson.WriteMap(agent.Metadata)),
                ("@created", agent.CreatedAt),
                ("@updated", agent.UpdatedAt)))
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
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
        catch (PostgresException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<Agent?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, "a.name", name, cancellationToken);
    }

    public async Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, "a.spiffe_id", spiffeId, cancellationToken);
    }

    public async Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var filter = owner is null ? string.Empty : " WHERE a.owner = @value";
        await using var command = connection.Command($"{WithKeys}{filter} ORDER BY a.name, k.added_at, k.kid;", ("@value", owner));
        return await ReadAgentsAsync(command, cancellationToken);
    }

    public async Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE agents SET status = @status, updated_at = @now WHERE name = @name;",
            ("@status", WireName.Of(status)),
            ("@now", now),
            ("@name", name));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return new(StoreOutcome.NotFound, null);
        }

        return Found(await GetAsync(connection, "a.name", name, cancellationToken));
    }

    public async Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (!await TouchAsync(connection, transaction, name, now, cancellationToken))
            {
                return new(StoreOutcome.NotFound, null);
            }

            try
            {
                await InsertKeyAsync(connection, transaction, name, key, cancellationToken);
            }
            catch (PostgresException ex) when (ex.IsUniqueViolation())
            {
                return new(StoreOutcome.AlreadyExists, null);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return Found(await GetAsync(connection, "a.name", name, cancellationToken));
    }

    public async Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var delete = connection.Command(transaction, "DELETE FROM agent_keys WHERE agent = @name AND kid = @kid;", ("@name", name), ("@kid", kid));
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new(StoreOutcome.NotFound, null);
            }

            await TouchAsync(connection, transaction, name, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Found(await GetAsync(connection, "a.name", name, cancellationToken));
    }

    private static StoreResult<Agent> Found(Agent? agent) =>
        agent is null ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.Success, agent);

    private static async Task<bool> TouchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var touch = connection.Command(transaction, "UPDATE agents SET updated_at = @now WHERE name = @name;", ("@now", now), ("@name", name));
        return await touch.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task InsertKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agent, AgentKey key, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            transaction,
            "INSERT INTO agent_keys (agent, kid, thumbprint, jwk, added_at) VALUES (@agent, @kid, @thumbprint, @jwk, @added);",
            ("@agent", agent),
            ("@kid", key.Kid),
            ("@thumbprint", key.Thumbprint),
            ("@jwk", key.Jwk),
            ("@added", key.AddedAt));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Agent?> GetAsync(NpgsqlConnection connection, string column, string value, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"{WithKeys} WHERE {column} = @value ORDER BY k.added_at, k.kid;", ("@value", value));
        var agents = await ReadAgentsAsync(command, cancellationToken);
        return agents.Count == 0 ? null : agents[0];
    }

    /// <summary>Reads rows of <see cref="WithKeys"/> ordered by agent: one agent per run of rows, with its keys.</summary>
    private static async Task<List<Agent>> ReadAgentsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var agents = new List<Agent>();
        Agent? current = null;
        List<AgentKey> keys = [];
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (current is null || !string.Equals(current.Name, name, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    agents.Add(current with { PublicKeys = keys });
                }

                current = ReadAgent(reader);
                keys = [];
            }

            if (!reader.IsDBNull(8))
            {
                keys.Add(new AgentKey(reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetTime(11)));
            }
        }

        if (current is not null)
        {
            agents.Add(current with { PublicKeys = keys });
        }

        return agents;
    }

    private static Agent ReadAgent(NpgsqlDataReader reader)
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
            PostgresJson.ReadMethods(reader.GetString(4)),
            PostgresJson.ReadMap(reader.GetString(5)),
            [],
            reader.GetTime(6),
            reader.GetTime(7));
    }
}
