using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Writ.Core.Audit;
using Writ.Core.Leases;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// The agent renews a lease of its own task with its task token (<c>POST /leases/v1/{id}/renew</c>): bounded by the
/// connection's maximum and the task's expiry, refused for ended leases, other tasks' leases and revoked tokens.
/// </summary>
public sealed class AgentLeaseRenewalTests(SharedPostgresCluster cluster)
{
    private static readonly string Tools = """[{"tool":"db.query","targets":["connection:orders-db"]}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, JsonObject Body)> PostAsync(WritHost host, string path, string? taskToken, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (taskToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", taskToken);
        }

        using var response = await host.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private static Task<(int Status, JsonObject Body)> RenewAsync(WritHost host, string leaseId, string? taskToken, string? ttl = null) =>
        PostAsync(host, "leases/v1/" + leaseId + "/renew", taskToken, ttl is null ? null : new { ttl });

    private async Task<(TaskWorld World, string Token, string LeaseId, string Database)> RoleAsync(string maxLease = "PT30M", string? taskDuration = "PT10M")
    {
        var (database, superuser) = await cluster.CreateDatabaseAsync(Ct);
        await RoleTargets.CreateTablesAsync(superuser, Ct);
        var world = await TaskWorld.StartAsync();
        await world.Host.AdminOkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(superuser, "orders-db", maxLease));
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools, maxDuration: taskDuration));
        var (status, body) = await PostAsync(world.Host, "leases/v1/postgres-roles", token, new { connection = "orders-db", ttl = "PT2M" });
        Assert.True(status == 201, body.ToJsonString());
        return (world, token, body["leaseId"]!.GetValue<string>(), database);
    }

    [Fact]
    public async Task AgentRenewsItsRole_UpToTheTasksExpiry_AndTheRenewalIsAudited()
    {
        var (world, token, leaseId, database) = await RoleAsync();
        await using var _ = world;
        try
        {
            world.Host.Time.Advance(TimeSpan.FromMinutes(1));

            var (status, body) = await RenewAsync(world.Host, leaseId, token, "PT1H");

            Assert.True(status == 200, body.ToJsonString());
            var lease = await world.Host.Store.Leases.GetAsync(leaseId, Ct);
            var task = await world.Host.Store.Tasks.GetAsync(lease!.TaskId, Ct);
            Assert.Equal(task!.ExpiresAt, lease.ExpiresAt);
            Assert.Equal(lease.NotAfter, lease.ExpiresAt);
            Assert.Equal(world.Host.Time.GetUtcNow(), lease.RenewedAt!.Value, TimeSpan.FromMilliseconds(1));
            var renewed = (await world.Host.Store.Audit.SearchAsync(new AuditQuery { Type = AuditEventTypes.LeaseRenewed, NewestFirst = false }, Ct))
                .Select(r => AuditRecordEncoding.Decode(r.Canonical));
            Assert.Contains(renewed, r => r.Decision == "renewed" && r.Detail!["lease"] == leaseId);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RenewalBeyondTheConnectionMaximum_IsCutToIt_ThenRefused()
    {
        var (world, token, leaseId, database) = await RoleAsync(maxLease: "PT5M", taskDuration: "PT10M");
        await using var _ = world;
        try
        {
            var (status, body) = await RenewAsync(world.Host, leaseId, token);
            Assert.Equal(200, status);
            var lease = await world.Host.Store.Leases.GetAsync(leaseId, Ct);
            Assert.Equal(lease!.IssuedAt + TimeSpan.FromMinutes(5), lease.ExpiresAt);
            Assert.Equal(lease.NotAfter.ToUnixTimeSeconds(), body["notAfter"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());

            var (again, refusal) = await RenewAsync(world.Host, leaseId, token, "PT1M");
            Assert.Equal(409, again);
            Assert.Equal("renewal_refused", refusal["code"]!.GetValue<string>());
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RevokedLease_IsNotRenewed_Returns409()
    {
        var (world, token, leaseId, database) = await RoleAsync();
        await using var _ = world;
        try
        {
            await world.Host.AdminOkAsync(HttpMethod.Post, "leases/" + leaseId + "/revoke");

            var (status, body) = await RenewAsync(world.Host, leaseId, token, "PT5M");

            Assert.Equal(409, status);
            Assert.Equal("lease_not_active", body["code"]!.GetValue<string>());
            Assert.Equal(LeaseState.Revoked, (await world.Host.Store.Leases.GetAsync(leaseId, Ct))!.State);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AnotherTasksLease_Returns404_AndARevokedTaskToken_Returns401()
    {
        var (world, token, leaseId, database) = await RoleAsync();
        await using var _ = world;
        try
        {
            var other = await world.TaskTokenAsync("helper", details: TaskWorld.Intent(Tools));
            Assert.Equal(404, (await RenewAsync(world.Host, leaseId, other, "PT5M")).Status);

            await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = (await world.ClaimsAsync(token)).Jti });
            Assert.Equal(401, (await RenewAsync(world.Host, leaseId, token, "PT5M")).Status);
            Assert.Equal(401, (await RenewAsync(world.Host, leaseId, null, "PT5M")).Status);
            var lease = await world.Host.Store.Leases.GetAsync(leaseId, Ct);
            Assert.Null(lease!.RenewedAt);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AccessTokenLease_IsNotRenewable_Returns409()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent("""[{"tool":"orders.list","targets":["https://orders.example.com/api"]}]"""));
        using var exchanged = await world.Host.TokenAsync(
            ("grant_type", Writ.Core.Identity.TokenTypes.TokenExchangeGrant),
            ("subject_token", token),
            ("subject_token_type", Writ.Core.Identity.TokenTypes.TaskToken),
            ("resource", "https://orders.example.com/api"));
        Assert.True(exchanged.IsSuccessStatusCode, await exchanged.Content.ReadAsStringAsync(Ct));
        var lease = Assert.Single(await world.Host.Store.Leases.ListAsync(new LeaseQuery(TaskId: (await world.ClaimsAsync(token)).TaskId), Ct));

        var (status, body) = await RenewAsync(world.Host, lease.Id, token, "PT1M");

        Assert.Equal(409, status);
        Assert.Equal("not_renewable", body["code"]!.GetValue<string>());
    }
}
