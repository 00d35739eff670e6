namespace Writ.Core.Leases;

/// <summary>A dynamic PostgreSQL role just created: returned once, to the task's agent, in the issuing response.</summary>
/// <param name="Lease">The stored lease.</param>
/// <param name="Role">The role name.</param>
/// <param name="ConnectionString">How to log in as the role (holds its password).</param>
public sealed record IssuedRole(Lease Lease, string Role, string ConnectionString)
{
    /// <summary>Never prints the connection string.</summary>
    public override string ToString() => $"IssuedRole {{ Lease = {Lease.Id}, Role = {Role} }}";
}
