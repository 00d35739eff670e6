using System.Diagnostics.CodeAnalysis;
using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

/// <summary>
/// The production storage provider: every Writ store on one PostgreSQL database, shared by any
/// number of writ processes. Create it, call <see cref="MigrateAsync"/>, then use it.
/// </summary>
public sealed class PostgresWritStore : IWritStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over its own connection pool for <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public PostgresWritStore(string connectionString)
        : this(connectionString, TimeProvider.System)
    {
    }

    /// <summary>Creates the store; <paramref name="time"/> stamps applied migrations.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public PostgresWritStore(string connectionString, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryParse(connectionString, out var builder, out var problem))
        {
            throw new ArgumentException(problem, nameof(connectionString));
        }

        // Named connections make writ's sessions recognizable in pg_stat_activity.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "writ";
        }

        Description = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _time = time;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        Owners = new RetryingOwnerStore(new PostgresOwnerStore(_dataSource));
        Agents = new RetryingAgentStore(new PostgresAgentStore(_dataSource));
        JoinTokens = new RetryingJoinTokenStore(new PostgresJoinTokenStore(_dataSource));
        ExternalIssuers = new RetryingExternalIssuerStore(new PostgresExternalIssuerStore(_dataSource));
        Clients = new RetryingClientStore(new PostgresClientStore(_dataSource));
        AdminTokens = new RetryingAdminTokenStore(new PostgresAdminTokenStore(_dataSource));
        SigningKeys = new RetryingSigningKeyStore(new PostgresSigningKeyStore(_dataSource));
        ReplayCache = new RetryingReplayCache(new PostgresReplayCache(_dataSource));
        Revocations = new RetryingRevocationStore(new PostgresRevocationStore(_dataSource));
        ChangeLog = new RetryingChangeLogStore(new PostgresChangeLogStore(_dataSource));
        Audit = new RetryingAuditStore(new PostgresAuditStore(_dataSource));
        Policies = new RetryingPolicyStore(new PostgresPolicyStore(_dataSource));
        Tasks = new RetryingTaskStore(new PostgresTaskStore(_dataSource));
        Connections = new RetryingConnectionStore(new PostgresConnectionStore(_dataSource));
        Leases = new RetryingLeaseStore(new PostgresLeaseStore(_dataSource));
        RevocationEvents = new RetryingRevocationEventStore(new PostgresRevocationEventStore(_dataSource));
    }

    /// <summary>
    /// Checks that <paramref name="connectionString"/> is a usable Npgsql connection string (it does
    /// not connect). <paramref name="problem"/> says what is wrong without quoting the string, which
    /// may hold a password.
    /// </summary>
    public static bool IsValidConnectionString(string? connectionString, [NotNullWhen(false)] out string? problem) =>
        TryParse(connectionString, out _, out problem);

    /// <summary>The newest schema version this binary knows.</summary>
    public static int SupportedSchemaVersion => PostgresMigrator.LatestVersion;

    /// <summary>Host, port and database, without credentials: safe to log.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public IOwnerStore Owners { get; }

    /// <inheritdoc />
    public IAgentStore Agents { get; }

    /// <inheritdoc />
    public IJoinTokenStore JoinTokens { get; }

    /// <inheritdoc />
    public IExternalIssuerStore ExternalIssuers { get; }

    /// <inheritdoc />
    public IClientStore Clients { get; }

    /// <inheritdoc />
    public IAdminTokenStore AdminTokens { get; }

    /// <inheritdoc />
    public ISigningKeyStore SigningKeys { get; }

    /// <inheritdoc />
    public IReplayCache ReplayCache { get; }

    /// <inheritdoc />
    public IRevocationStore Revocations { get; }

    /// <inheritdoc />
    public IChangeLogStore ChangeLog { get; }

    /// <inheritdoc />
    public IAuditStore Audit { get; }

    /// <inheritdoc />
    public IPolicyStore Policies { get; }

    /// <inheritdoc />
    public ITaskStore Tasks { get; }

    /// <inheritdoc />
    public IConnectionStore Connections { get; }

    /// <inheritdoc />
    public ILeaseStore Leases { get; }

    /// <inheritdoc />
    public IRevocationEventStore RevocationEvents { get; }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => PostgresMigrator.MigrateAsync(_dataSource, _time, cancellationToken);

    /// <summary>The schema version recorded in the database (0 before the first migration).</summary>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => PostgresMigrator.GetVersionAsync(_dataSource, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = connection.Command("SELECT 1;");
            return Equals(await command.ExecuteScalarAsync(cancellationToken), 1);
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static bool TryParse(string? connectionString, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? builder, [NotNullWhen(false)] out string? problem)
    {
        builder = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem = "the PostgreSQL connection string is empty";
            return false;
        }

        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException or OverflowException)
        {
            // The original message may quote the connection string, password included.
            problem = "the PostgreSQL connection string is not valid (" + ex.GetType().Name + "); use Npgsql's keywords, e.g. Host=db;Database=writ;Username=writ";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            problem = "the PostgreSQL connection string names no Host";
            builder = null;
            return false;
        }

        problem = null;
        return true;
    }
}
