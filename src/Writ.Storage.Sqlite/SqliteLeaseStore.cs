using System.Text;
using Microsoft.Data.Sqlite;
using Writ.Core.Leases;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteLeaseStore(SqliteDatabase database) : ILeaseStore
{
    private const string Columns =
        "id, kind, task_id, agent, owner, connection, subject, issued_at, expires_at, not_after, renewed_at, ended_at, state, end_reason, revocation_attempts, last_error, next_attempt_at, uses";

    private const string Active = "'active'";
    private const string Failed = "'failed_revocation'";

    public async Task<StoreResult> AddAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var db = await database.OpenAsync(cancellationToken);
        await using var command = db.Command(
            $"INSERT INTO leases ({Columns}) VALUES (@id, @kind, @task, @agent, @owner, @connection, @subject, @issued, @expires, @notAfter, @renewed, @ended, @state, @reason, @attempts, @error, @next, @uses);",
            ("@id", lease.Id),
            ("@kind", LeaseNames.Of(lease.Kind)),
            ("@task", lease.TaskId),
            ("@agent", lease.Agent),
            ("@owner", lease.Owner),
            ("@connection", lease.Connection),
            ("@subject", lease.Subject),
            ("@issued", lease.IssuedAt.ToDb()),
            ("@expires", lease.ExpiresAt.ToDb()),
            ("@notAfter", lease.NotAfter.ToDb()),
            ("@renewed", lease.RenewedAt.ToDb()),
            ("@ended", lease.EndedAt.ToDb()),
            ("@state", LeaseNames.Of(lease.State)),
            ("@reason", lease.EndReason),
            ("@attempts", lease.RevocationAttempts),
            ("@error", lease.LastError),
            ("@next", lease.NextAttemptAt.ToDb()),
            ("@uses", lease.Uses));
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

    public async Task<Lease?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM leases WHERE id = @id;", cancellationToken, ("@id", id));
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<Lease>> ListAsync(LeaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var sql = new StringBuilder($"SELECT {Columns} FROM leases WHERE 1 = 1");
        var parameters = new List<(string Name, object? Value)> { ("@limit", query.Limit) };
        Filter(sql, parameters, "state", query.State is { } state ? LeaseNames.Of(state) : null);
        Filter(sql, parameters, "task_id", query.TaskId);
        Filter(sql, parameters, "connection", query.Connection);
        Filter(sql, parameters, "owner", query.Owner);
        sql.Append(" ORDER BY issued_at, id LIMIT @limit;");
        return QueryAsync(sql.ToString(), cancellationToken, [.. parameters]);

        static void Filter(StringBuilder sql, List<(string Name, object? Value)> parameters, string column, string? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(column).Append(" = @").Append(column);
                parameters.Add(("@" + column, value));
            }
        }
    }

    public Task<StoreResult<Lease>> RenewAsync(string id, DateTimeOffset expiresAt, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(
            $"UPDATE leases SET expires_at = @expires, renewed_at = @at WHERE id = @id AND state = {Active} AND not_after >= @expires;",
            id,
            cancellationToken,
            ("@expires", expiresAt.ToDb()),
            ("@at", at.ToDb()));

    public Task<StoreResult<Lease>> RecordUseAsync(string id, CancellationToken cancellationToken) =>
        UpdateAsync($"UPDATE leases SET uses = uses + 1 WHERE id = @id AND state = {Active};", id, cancellationToken);

    public Task<StoreResult<Lease>> AddUsesAsync(string id, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return UpdateAsync("UPDATE leases SET uses = uses + @count WHERE id = @id;", id, cancellationToken, ("@count", count));
    }

    public Task<StoreResult<Lease>> EndAsync(string id, LeaseState state, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        if (state is not (LeaseState.Revoked or LeaseState.Expired))
        {
            throw new ArgumentOutOfRangeException(nameof(state), "a lease ends revoked or expired");
        }

        return UpdateAsync(
            $"UPDATE leases SET state = @state, ended_at = COALESCE(ended_at, @at), end_reason = COALESCE(end_reason, @reason), next_attempt_at = NULL WHERE id = @id AND state IN ({Active}, {Failed});",
            id,
            cancellationToken,
            ("@state", LeaseNames.Of(state)),
            ("@at", at.ToDb()),
            ("@reason", reason));
    }

    public Task<StoreResult<Lease>> RecordRevocationFailureAsync(string id, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(
            $"UPDATE leases SET state = {Failed}, ended_at = COALESCE(ended_at, @at), end_reason = COALESCE(end_reason, @reason), revocation_attempts = revocation_attempts + 1, last_error = @error, next_attempt_at = @next WHERE id = @id AND state IN ({Active}, {Failed});",
            id,
            cancellationToken,
            ("@at", at.ToDb()),
            ("@reason", reason),
            ("@error", error),
            ("@next", nextAttemptAt.ToDb()));

    public Task<IReadOnlyList<Lease>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return QueryAsync(
            $"SELECT {Columns} FROM (SELECT {Columns}, expires_at AS due FROM leases WHERE state = {Active} AND expires_at <= @now "
            + $"UNION ALL SELECT {Columns}, next_attempt_at AS due FROM leases WHERE state = {Failed} AND next_attempt_at <= @now) ORDER BY due, id LIMIT @limit;",
            cancellationToken,
            ("@now", now.ToDb()),
            ("@limit", limit));
    }

    public async Task<long> CountAsync(LeaseState state, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var command = db.Command("SELECT COUNT(*) FROM leases WHERE state = @state;", ("@state", LeaseNames.Of(state)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<StoreResult<Lease>> UpdateAsync(string sql, string id, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using (var db = await database.OpenAsync(cancellationToken))
        {
            await using var command = db.Command(sql, [("@id", id), .. parameters]);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new StoreResult<Lease>(StoreOutcome.NotFound, null);
            }
        }

        var lease = await GetAsync(id, cancellationToken);
        return lease is null ? new StoreResult<Lease>(StoreOutcome.NotFound, null) : new StoreResult<Lease>(StoreOutcome.Success, lease);
    }

    private async Task<IReadOnlyList<Lease>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var command = db.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leases = new List<Lease>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(Read(reader));
        }

        return leases;
    }

    private static Lease Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        LeaseNames.TryParse(reader.GetString(1), out LeaseKind kind) ? kind : throw new InvalidDataException($"unknown lease kind '{reader.GetString(1)}' in the database"),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetNullableString(5),
        reader.GetNullableString(6),
        reader.GetTime(7),
        reader.GetTime(8),
        reader.GetTime(9),
        reader.GetNullableTime(10),
        reader.GetNullableTime(11),
        LeaseNames.TryParse(reader.GetString(12), out LeaseState state) ? state : throw new InvalidDataException($"unknown lease state '{reader.GetString(12)}' in the database"),
        reader.GetNullableString(13),
        reader.GetInt32(14),
        reader.GetNullableString(15),
        reader.GetNullableTime(16),
        reader.GetInt64(17));
}
