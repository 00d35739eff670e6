namespace Writ.Core.Leases;

/// <summary>Where and as whom Writ administers dynamic roles; built from a connection and its opened secret, held only for one operation.</summary>
/// <param name="Host">Server host.</param>
/// <param name="Port">Server port.</param>
/// <param name="Database">The database the roles are for.</param>
/// <param name="AdminUser">The admin login.</param>
/// <param name="AdminPassword">The admin password (opened from the connection's sealed secret).</param>
public sealed record PostgresTarget(string Host, int Port, string Database, string AdminUser, string AdminPassword)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{AdminUser}@{Host}:{Port}/{Database}";
}
