namespace Writ.Core.Revocation;

/// <summary>What a revocation ended; the subject of the event names one of these.</summary>
public enum RevocationKind
{
    /// <summary>One token; the subject is its <c>jti</c>.</summary>
    Token,

    /// <summary>A task with its leases and delegated descendants; the subject is the task id (<c>tid</c>).</summary>
    Task,

    /// <summary>An agent (suspended or retired); the subject is its SPIFFE ID.</summary>
    Agent,

    /// <summary>An owner (all their agents); the subject is the owner's name.</summary>
    Owner,

    /// <summary>A connection (all leases from it); the subject is the connection's name.</summary>
    Connection,

    /// <summary>A token signing key (every token it signed); the subject is its <c>kid</c>.</summary>
    Key,

    /// <summary>One lease; the subject is the lease id.</summary>
    Lease,
}
