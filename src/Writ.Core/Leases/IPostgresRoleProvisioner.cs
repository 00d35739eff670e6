namespace Writ.Core.Leases;

/// <summary>Creates and drops dynamic PostgreSQL roles on a connection's server.</summary>
public interface IPostgresRoleProvisioner
{
    /// <summary>Creates <paramref name="role"/> with LOGIN, <paramref name="password"/>, VALID UNTIL <paramref name="validUntil"/> and exactly <paramref name="grants"/>, in one transaction.</summary>
    Task CreateRoleAsync(PostgresTarget target, string role, string password, DateTimeOffset validUntil, IReadOnlyList<string> grants, CancellationToken cancellationToken);

    /// <summary>Moves the role's VALID UNTIL.</summary>
    Task ExtendRoleAsync(PostgresTarget target, string role, DateTimeOffset validUntil, CancellationToken cancellationToken);

    /// <summary>Ends the role's sessions, drops what it owns and drops it; succeeds when the role is already gone.</summary>
    Task DropRoleAsync(PostgresTarget target, string role, CancellationToken cancellationToken);

    /// <summary>The connection string the agent uses to log in as the role.</summary>
    string ConnectionString(PostgresTarget target, string role, string password);
}
