using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

/// <summary>
/// The embedded storage provider: every Writ store on one SQLite file (WAL mode, a busy timeout so
/// several processes can share the file). Create it, call <see cref="MigrateAsync"/>, then use it.
/// </summary>
public sealed class SqliteWritStore : IWritStore
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string DatabaseFileName = "writ.db";

    private readonly SqliteDatabase _database;
    private readonly SqliteAgentStore _agents;

    /// <summary>Opens (creating when missing) the database file at <paramref name="databasePath"/>; its directory must exist.</summary>
    public SqliteWritStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _database = new SqliteDatabase(Path.GetFullPath(databasePath));
        Owners = new SqliteOwnerStore(_database);
        Agents = _agents = new SqliteAgentStore(_database);
        JoinTokens = new SqliteJoinTokenStore(_database);
        ExternalIssuers = new SqliteExternalIssuerStore(_database);
        Clients = new SqliteClientStore(_database);
        AdminTokens = new SqliteAdminTokenStore(_database);
        SigningKeys = new SqliteSigningKeyStore(_database);
        ReplayCache = new SqliteReplayCache(_database);
        Revocations = new SqliteRevocationStore(_database);
        ChangeLog = new SqliteChangeLogStore(_database);
        Audit = new SqliteAuditStore(_database);
        Policies = new SqlitePolicyStore(_database);
        Tasks = new SqliteTaskStore(_database);
        Connections = new SqliteConnectionStore(_database);
        Leases = new SqliteLeaseStore(_database);
        RevocationEvents = new SqliteRevocationEventStore(_database);
    }

    /// <summary>The newest schema version this binary knows.</summary>
    public static int SupportedSchemaVersion => SqliteMigrator.LatestVersion;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _database.Path;

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

    /// <summary>
    /// The store for <c>&lt;dataDirectory&gt;/writ.db</c>, creating the directory (mode 0700 on Unix)
    /// when it does not exist.
    /// </summary>
    public static SqliteWritStore ForDataDirectory(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dataDirectory);
            }
            else
            {
                Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new SqliteWritStore(Path.Combine(dataDirectory, DatabaseFileName));
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => SqliteMigrator.MigrateAsync(_database, cancellationToken);

    /// <summary>The schema version recorded in the database (0 before the first migration).</summary>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => SqliteMigrator.GetVersionAsync(_database, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.Command("SELECT 1;");
            return Equals(await command.ExecuteScalarAsync(cancellationToken), 1L);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        await _agents.ReleaseReadersAsync();
        _database.ReleaseConnections();
    }
}
