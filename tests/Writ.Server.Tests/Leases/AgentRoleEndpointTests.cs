using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>An agent draws a dynamic role with its task token; the connection string comes back once and works until the task completes.</summary>
public sealed class AgentRoleEndpointTests(SharedPostgresCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Tools = """[{"tool":"db.query","targets":["connection:orders-db"]}]""";

    private static async Task<(int Status, JsonObject Body)> RequestRoleAsync(WritHost host, string? taskToken, string connection)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "leases/v1/postgres-roles") { Content = JsonContent.Create(new { connection, ttl = "PT5M" }) };
        if (taskToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", taskToken);
        }

        using var response = await host.Http.SendAsync(request, Ct);
        return ((int)response.StatusCode, await WritHost.JsonAsync(response));
    }

    [Fact]
    public async Task AgentGetsTheConnectionStringOnce_AndLosesAccessWhenTheTaskCompletes()
    {
        var (database, superuser) = await cluster.CreateDatabaseAsync(Ct);
        try
        {
            await RoleTargets.CreateTablesAsync(superuser, Ct);
            await using var world = await TaskWorld.StartAsync();
            await world.Host.AdminOkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(superuser, "orders-db"));
            var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));

            var (status, body) = await RequestRoleAsync(world.Host, taskToken, "orders-db");
            Assert.True(status == 201, body.ToJsonString());
            var connectionString = body["connectionString"]!.GetValue<string>();
            await using (var session = new NpgsqlConnection(connectionString + ";Pooling=false"))
            {
                await session.OpenAsync(Ct);
                Assert.Equal(2L, await RoleTargets.ScalarAsync(session, "SELECT count(*) FROM public.orders", Ct));
            }

            var lease = await world.Host.AdminOkAsync(HttpMethod.Get, "leases/" + body["leaseId"]!.GetValue<string>());
            Assert.Null(lease["connectionString"]);

            using (var completed = await world.CompleteAsync(taskToken))
            {
                Assert.True(completed.IsSuccessStatusCode);
            }

            await world.Host.App.Services.GetRequiredService<Writ.Core.Leases.LeaseReaping>().RunOnceAsync(Ct);
            await using var after = new NpgsqlConnection(connectionString + ";Pooling=false");
            await Assert.ThrowsAsync<PostgresException>(() => after.OpenAsync(Ct));
            Assert.Equal(401, (await RequestRoleAsync(world.Host, taskToken, "orders-db")).Status);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ConnectionTheTaskDidNotDeclare_Returns403_AndMissingToken_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        await world.Host.AdminOkAsync(HttpMethod.Post, "connections", RoleTargets.Connection("Host=127.0.0.1;Port=5432;Database=x;Username=u;Password=p", "other-db"));
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));

        Assert.Equal(403, (await RequestRoleAsync(world.Host, taskToken, "other-db")).Status);
        Assert.Equal(401, (await RequestRoleAsync(world.Host, null, "orders-db")).Status);
        Assert.Equal(401, (await RequestRoleAsync(world.Host, taskToken[..^3] + "xyz", "orders-db")).Status);
    }
}
