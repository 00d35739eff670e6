using Writ.Core.Leases;
using Writ.Server.Tests.Connections;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>A PostgreSQL cluster of its own, a Writ host with a connection to it, and one issued role lease for task tsk_1.</summary>
internal sealed class RoleLeaseWorld : IAsyncDisposable
{
    private RoleLeaseWorld(PostgresCluster cluster, string superuser, ConnectionTestHost host, IssuedRole issued)
    {
        Cluster = cluster;
        Superuser = superuser;
        Host = host;
        Issued = issued;
    }

    public PostgresCluster Cluster { get; }

    /// <summary>The connection string of the cluster's superuser on the test database.</summary>
    public string Superuser { get; }

    public ConnectionTestHost Host { get; }

    public IssuedRole Issued { get; }

    public static async Task<RoleLeaseWorld> StartAsync(CancellationToken cancellationToken)
    {
        var cluster = await PostgresCluster.StartAsync(cancellationToken);
        ConnectionTestHost? host = null;
        try
        {
            var superuser = cluster.ConnectionString(await cluster.CreateDatabaseAsync(cancellationToken));
            await RoleTargets.CreateTablesAsync(superuser, cancellationToken);
            host = await ConnectionTestHost.StartAsync();
            await host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
            await host.OkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(superuser, "orders-db"));
            var (issued, _) = await host.Service<PostgresRoleLeases>().IssueAsync(
                new LeaseRequest("tsk_1", "research", "alice", host.Time.GetUtcNow() + TimeSpan.FromMinutes(10), "orders-db"), cancellationToken);
            return new RoleLeaseWorld(cluster, superuser, host, issued!);
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync();
                host.DeleteData();
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.DeleteData();
        await Cluster.DisposeAsync();
    }
}
