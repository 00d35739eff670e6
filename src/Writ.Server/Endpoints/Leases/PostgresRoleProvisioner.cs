using System.Globalization;
using Npgsql;
using Writ.Core.Connections;
using Writ.Core.Leases;

namespace Writ.Server.Endpoints.Leases;

/// <summary>
/// Creates and drops dynamic roles with Npgsql over unpooled connections (role changes are rare, and
/// a pooled session would outlive a server restart and fail the retry that follows it).
/// </summary>
internal sealed class PostgresRoleProvisioner : IPostgresRoleProvisioner
{
    public async Task CreateRoleAsync(PostgresTarget target, string role, string password, DateTimeOffset validUntil, IReadOnlyList<string> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(grants);
        RequireRole(role);
        await using var connection = await OpenAsync(target, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var statements = new List<string>
        {
            // The verifier is base64 and '$', ':' only, so the literal cannot be broken out of.
            $"CREATE ROLE {GrantTemplate.Quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD '{ScramVerifier.Compute(password)}' VALID UNTIL '{Timestamp(validUntil)}'",
            $"GRANT CONNECT ON DATABASE {GrantTemplate.Quote(target.Database)} TO {GrantTemplate.Quote(role)}",
        };
        statements.AddRange(grants);
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ExtendRoleAsync(PostgresTarget target, string role, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireRole(role);
        await using var connection = await OpenAsync(target, cancellationToken);
        await using var command = new NpgsqlCommand($"ALTER ROLE {GrantTemplate.Quote(role)} VALID UNTIL '{Timestamp(validUntil)}'", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DropRoleAsync(PostgresTarget target, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireRole(role);
        await using var connection = await OpenAsync(target, cancellationToken);

        // The cascade, the reaper and other Writ processes may end the same lease at once, and PostgreSQL refuses
        // concurrent changes of one role ("tuple concurrently updated"): one drop at a time per role, on a session
        // lock that ends with this (unpooled) connection.
        await using (var lockRole = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('writ-role:' || @role, 0))", connection))
        {
            lockRole.Parameters.AddWithValue("role", role);
            await lockRole.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!await RoleExistsAsync(connection, role, cancellationToken))
        {
            return;
        }

        try
        {
            await DropExistingRoleAsync(connection, role, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedObject)
        {
            // Dropped by hand between the check and the drop: the credential is gone, which is what revocation is for.
            if (await RoleExistsAsync(connection, role, cancellationToken))
            {
                throw;
            }
        }
    }

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = @role", connection);
        exists.Parameters.AddWithValue("role", role);
        return (long)(await exists.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private static async Task DropExistingRoleAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        var quoted = GrantTemplate.Quote(role);

        // No new logins first, then end the sessions it has, then take away what it owns and the role itself.
        await ExecuteAsync(connection, $"ALTER ROLE {quoted} NOLOGIN", cancellationToken);
        await using (var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = @role", connection))
        {
            terminate.Parameters.AddWithValue("role", role);
            await terminate.ExecuteScalarAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in new[] { $"REASSIGN OWNED BY {quoted} TO CURRENT_USER", $"DROP OWNED BY {quoted}", $"DROP ROLE {quoted}" })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public string ConnectionString(PostgresTarget target, string role, string password)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new NpgsqlConnectionStringBuilder { Host = target.Host, Port = target.Port, Database = target.Database, Username = role, Password = password }.ConnectionString;
    }

    private static async Task<NpgsqlConnection> OpenAsync(PostgresTarget target, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = target.Host,
            Port = target.Port,
            Database = target.Database,
            Username = target.AdminUser,
            Password = target.AdminPassword,
            Pooling = false,
            Timeout = 10,
            CommandTimeout = 30,
            ApplicationName = "writ-leases",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void RequireRole(string role)
    {
        if (!GrantTemplate.IsIdentifier(role))
        {
            throw new ArgumentException("the role name must be " + GrantTemplate.IdentifierRule, nameof(role));
        }
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);
}
