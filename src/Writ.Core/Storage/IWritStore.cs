namespace Writ.Core.Storage;

/// <summary>
/// One storage provider (SQLite, later PostgreSQL): every store over one database. Call
/// <see cref="MigrateAsync"/> once at start before using the stores.
/// </summary>
public interface IWritStore : IAsyncDisposable
{
    /// <summary>Owners.</summary>
    IOwnerStore Owners { get; }

    /// <summary>Agents and their public keys.</summary>
    IAgentStore Agents { get; }

    /// <summary>Join tokens.</summary>
    IJoinTokenStore JoinTokens { get; }

    /// <summary>Trusted external issuers.</summary>
    IExternalIssuerStore ExternalIssuers { get; }

    /// <summary>Clients.</summary>
    IClientStore Clients { get; }

    /// <summary>Admin tokens.</summary>
    IAdminTokenStore AdminTokens { get; }

    /// <summary>Token signing keys.</summary>
    ISigningKeyStore SigningKeys { get; }

    /// <summary>Seen jti values.</summary>
    IReplayCache ReplayCache { get; }

    /// <summary>Revoked tokens.</summary>
    IRevocationStore Revocations { get; }

    /// <summary>Administrative change records.</summary>
    IChangeLogStore ChangeLog { get; }

    /// <summary>The tamper-evident audit log.</summary>
    IAuditStore Audit { get; }

    /// <summary>Policy sets and named policy stores.</summary>
    IPolicyStore Policies { get; }

    /// <summary>Tasks.</summary>
    ITaskStore Tasks { get; }

    /// <summary>Connections.</summary>
    IConnectionStore Connections { get; }

    /// <summary>Leases.</summary>
    ILeaseStore Leases { get; }

    /// <summary>The revocation event stream.</summary>
    IRevocationEventStore RevocationEvents { get; }

    /// <summary>
    /// Applies pending schema migrations in a transaction; a no-op when up to date.
    /// Throws <see cref="SchemaVersionTooNewException"/> when the database is newer than this binary.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the database answers a trivial query (for readiness checks).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
