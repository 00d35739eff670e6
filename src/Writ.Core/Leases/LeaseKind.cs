namespace Writ.Core.Leases;

/// <summary>What a lease hands out.</summary>
public enum LeaseKind
{
    /// <summary>A downstream RFC 9068 access token for a resource server that trusts Writ.</summary>
    AccessToken,

    /// <summary>An upstream secret resolved inside the enforcement point and injected; the agent never sees it.</summary>
    BrokeredSecret,

    /// <summary>A dynamic PostgreSQL role with a random password.</summary>
    PostgresRole,
}
