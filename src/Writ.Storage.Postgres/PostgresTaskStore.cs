using System.Text.Json;
using Npgsql;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Storage.Postgres;

/// <summary>Tasks on PostgreSQL (wrapped in <see cref="RetryingTaskStore"/> by <see cref="PostgresWritStore"/>).</summary>
internal sealed class PostgresTaskStore(NpgsqlDataSource database) : ITaskStore
{
    private const string Columns = "id, agent, owner, user_id, intent, parent_id, root_id, chain::text, audience, state, created_at, expires_at, ended_at, ended_by, jkt";

    public async Task<StoreResult> AddAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO tasks (id, agent, owner, user_id, intent, parent_id, root_id, chain, audience, state, created_at, expires_at, ended_at, ended_by, jkt) "
            + "VALUES (@id, @agent, @owner, @user, @intent, @parent, @root, @chain, @audience, @state, @created, @expires, @ended, @endedBy, @jkt);",
            ("@id", task.Id),
            ("@agent", task.Agent),
            ("@owner", task.Owner),
            ("@user", task.User),
            ("@intent", task.Intent.ToJson()),
            ("@parent", task.ParentId),
            ("@root", task.RootId),
            ("@chain", new JsonText(JsonSerializer.Serialize(task.Chain))),
            ("@audience", task.Audience),
            ("@state", TaskStateNames.Of(task.State)),
            ("@created", task.CreatedAt),
            ("@expires", task.ExpiresAt),
            ("@ended", task.EndedAt),
            ("@endedBy", task.EndedBy),
            ("@jkt", task.Jkt));
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

    public async Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM tasks WHERE id = @id;", ("@id", id));
        var found = await ReadAllAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 1000);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM tasks WHERE (@owner::text IS NULL OR owner = @owner::text) AND (@agent::text IS NULL OR agent = @agent::text) AND (@state::text IS NULL OR state = @state::text) ORDER BY created_at DESC, id DESC LIMIT @limit;",
            ("@owner", query.Owner),
            ("@agent", query.Agent),
            ("@state", query.State is { } state ? TaskStateNames.Of(state) : null),
            ("@limit", query.Limit));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<StoreResult<TaskRecord>> EndAsync(string id, TaskState state, DateTimeOffset at, string endedBy, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(state, TaskState.Active);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"UPDATE tasks SET state = @state, ended_at = @at, ended_by = @by WHERE id = @id AND state = 'active' RETURNING {Columns};",
            ("@state", TaskStateNames.Of(state)),
            ("@at", at),
            ("@by", endedBy),
            ("@id", id));
        var updated = await ReadAllAsync(command, cancellationToken);
        if (updated.Count == 1)
        {
            return new(StoreOutcome.Success, updated[0]);
        }

        var existing = await GetAsync(id, cancellationToken);
        return existing is null ? new(StoreOutcome.NotFound, null) : new(StoreOutcome.AlreadyExists, existing);
    }

    public async Task<IReadOnlyList<TaskRecord>> ListDescendantsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            WITH RECURSIVE below(id) AS (
                SELECT id FROM tasks WHERE parent_id = @id
                UNION
                SELECT t.id FROM tasks t JOIN below b ON t.parent_id = b.id
            )
            SELECT {Columns} FROM tasks WHERE id IN (SELECT id FROM below) ORDER BY created_at, id;
            """,
            ("@id", id));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"UPDATE tasks SET state = 'expired', ended_at = expires_at, ended_by = 'system' WHERE state = 'active' AND expires_at <= @now RETURNING {Columns};",
            ("@now", now));
        var expired = await ReadAllAsync(command, cancellationToken);
        return [.. expired.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];
    }

    private static async Task<List<TaskRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tasks = new List<TaskRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(new TaskRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetNullableString(3),
                TaskIntent.FromJson(reader.GetString(4)),
                reader.GetNullableString(5),
                reader.GetString(6),
                JsonSerializer.Deserialize<string[]>(reader.GetString(7)) ?? [],
                reader.GetString(8),
                TaskStateNames.TryParse(reader.GetString(9), out var state) ? state : throw new InvalidDataException("unknown task state in the database"),
                reader.GetTime(10),
                reader.GetTime(11),
                reader.GetNullableTime(12),
                reader.GetNullableString(13),
                reader.GetNullableString(14)));
        }

        return tasks;
    }
}
