using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// A DPoP-bound task token draws and renews a dynamic role only as <c>Authorization: DPoP</c> with a proof of its
/// key for that very request (RFC 9449); presented as Bearer, without a proof, or with a wrong or replayed proof it
/// is refused with 401 and no role is created. An unbound token is refused under the DPoP scheme.
/// </summary>
public sealed class AgentRoleDpopTests(SharedPostgresCluster cluster)
{
    private const string Tools = """[{"tool":"db.query","targets":["connection:orders-db"]}]""";
    private const string RolesPath = "/leases/v1/postgres-roles";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Status, JsonObject Body, string? Challenge)> PostAsync(WritHost host, string path, string scheme, string token, string? proof, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        using var response = await host.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
    }

    private static Task<(int Status, JsonObject Body, string? Challenge)> RequestRoleAsync(WritHost host, string scheme, string token, string? proof) =>
        PostAsync(host, RolesPath, scheme, token, proof, new { connection = "orders-db", ttl = "PT5M" });

    private static async Task<string> BoundTaskTokenAsync(TaskWorld world, ECDsa key)
    {
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var started = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), TaskWorld.Intent(Tools), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now)));
        Assert.Equal("DPoP", started["token_type"]!.GetValue<string>());
        return started["access_token"]!.GetValue<string>();
    }

    private static string Url(TaskWorld world, string path) => world.Host.Issuer.TrimEnd('/') + path;

    private static string Proof(TaskWorld world, ECDsa key, string path, string token, string htm = "POST", long? iat = null, string? jti = null) =>
        TaskWorld.DpopProof(key, Url(world, path), htm, iat ?? world.Host.Time.GetUtcNow().ToUnixTimeSeconds(), jti, token);

    private static async Task<long> RoleLeaseCountAsync(TaskWorld world) =>
        (await world.Host.AdminOkAsync(HttpMethod.Get, "leases"))["items"]?.AsArray().Count ?? 0;

    // A DPoP-bound task draws a role on a fresh database; then runs with the task's world, key, token and the answer.
    private async Task WithBoundRoleAsync(Func<TaskWorld, ECDsa, string, JsonObject, Task> then)
    {
        var (database, superuser) = await cluster.CreateDatabaseAsync(Ct);
        try
        {
            await RoleTargets.CreateTablesAsync(superuser, Ct);
            await using var world = await TaskWorld.StartAsync();
            await world.Host.AdminOkAsync(HttpMethod.Post, "connections", RoleTargets.Connection(superuser, "orders-db"));
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var token = await BoundTaskTokenAsync(world, key);

            var (status, body, _) = await RequestRoleAsync(world.Host, "DPoP", token, Proof(world, key, RolesPath, token));

            Assert.True(status == 201, body.ToJsonString());
            await then(world, key, token, body);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    [Fact]
    public Task DpopBoundTaskToken_WithAProofForThisRequest_GetsAWorkingRole_AndRenewsIt() =>
        WithBoundRoleAsync(async (world, key, token, role) =>
        {
            await using (var session = new NpgsqlConnection(role["connectionString"]!.GetValue<string>() + ";Pooling=false"))
            {
                await session.OpenAsync(Ct);
                Assert.Equal(2L, await RoleTargets.ScalarAsync(session, "SELECT count(*) FROM public.orders", Ct));
            }

            var renewPath = "/leases/v1/" + role["leaseId"]!.GetValue<string>() + "/renew";
            var renewed = await PostAsync(world.Host, renewPath, "DPoP", token, Proof(world, key, renewPath, token), new { ttl = "PT10M" });
            Assert.True(renewed.Status == 200, renewed.Body.ToJsonString());
        });

    [Fact]
    public async Task DpopBoundTaskToken_PresentedAsBearer_Returns401_EvenWithAValidProof()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await BoundTaskTokenAsync(world, key);

        var withProof = await RequestRoleAsync(world.Host, "Bearer", token, Proof(world, key, RolesPath, token));
        var withoutProof = await RequestRoleAsync(world.Host, "Bearer", token, null);

        Assert.Equal(401, withProof.Status);
        Assert.Equal("invalid_token", withProof.Body["error"]!.GetValue<string>());
        Assert.Contains("DPoP-bound", withProof.Body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("DPoP", withProof.Challenge);
        Assert.Equal(401, withoutProof.Status);
        Assert.Equal("DPoP", withoutProof.Challenge);
        Assert.Equal(0, await RoleLeaseCountAsync(world));
    }

    [Fact]
    public async Task DpopBoundTaskToken_WithoutAProof_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await BoundTaskTokenAsync(world, key);

        var (status, body, challenge) = await RequestRoleAsync(world.Host, "DPoP", token, null);

        Assert.Equal(401, status);
        Assert.Equal("invalid_dpop_proof", body["error"]!.GetValue<string>());
        Assert.Equal("DPoP", challenge);
    }

    [Theory]
    [InlineData("other-url")]
    [InlineData("wrong-method")]
    [InlineData("stale-iat")]
    [InlineData("future-iat")]
    [InlineData("no-ath")]
    [InlineData("other-token-ath")]
    [InlineData("other-key")]
    public async Task DpopBoundTaskToken_WithAProofNotForThisRequest_Returns401(string flaw)
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await BoundTaskTokenAsync(world, key);
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var proof = flaw switch
        {
            "other-url" => Proof(world, key, "/leases/v1/x/renew", token),
            "wrong-method" => Proof(world, key, RolesPath, token, htm: "GET"),
            "stale-iat" => Proof(world, key, RolesPath, token, iat: now - 3600),
            "future-iat" => Proof(world, key, RolesPath, token, iat: now + 3600),
            "no-ath" => TaskWorld.DpopProof(key, Url(world, RolesPath), iat: now),
            "other-token-ath" => Proof(world, key, RolesPath, token + "x"),
            "other-key" => Proof(world, otherKey, RolesPath, token),
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var (status, body, challenge) = await RequestRoleAsync(world.Host, "DPoP", token, proof);

        Assert.True(status == 401, body.ToJsonString());
        Assert.Equal("invalid_dpop_proof", body["error"]!.GetValue<string>());
        Assert.Equal("DPoP", challenge);
        Assert.Equal(0, await RoleLeaseCountAsync(world));
    }

    [Fact]
    public async Task ReplayedDpopProof_Returns401()
    {
        // The first use is refused after the proof is checked (no such connection), which records its jti.
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await BoundTaskTokenAsync(world, key);
        var proof = Proof(world, key, RolesPath, token);

        var first = await RequestRoleAsync(world.Host, "DPoP", token, proof);
        var replayed = await RequestRoleAsync(world.Host, "DPoP", token, proof);

        Assert.Equal(404, first.Status);
        Assert.Equal(401, replayed.Status);
        Assert.Equal("invalid_dpop_proof", replayed.Body["error"]!.GetValue<string>());
        Assert.Contains("used before", replayed.Body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public Task DpopBoundTaskToken_PresentedAsBearer_IsNotRenewed() =>
        WithBoundRoleAsync(async (world, key, token, role) =>
        {
            var renewPath = "/leases/v1/" + role["leaseId"]!.GetValue<string>() + "/renew";

            var renewed = await PostAsync(world.Host, renewPath, "Bearer", token, Proof(world, key, renewPath, token), new { ttl = "PT10M" });

            Assert.Equal(401, renewed.Status);
            Assert.Equal("DPoP", renewed.Challenge);
        });

    [Fact]
    public async Task UnboundTaskToken_PresentedAsDpop_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));

        var (status, body, challenge) = await RequestRoleAsync(world.Host, "DPoP", token, Proof(world, key, RolesPath, token));

        Assert.Equal(401, status);
        Assert.Equal("Bearer", challenge);
        Assert.Contains("not DPoP-bound", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedTaskToken_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var claims = await world.ClaimsAsync(token);
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = claims.Jti, cause = "token leaked" });

        var (status, body, _) = await RequestRoleAsync(world.Host, "Bearer", token, null);

        Assert.Equal(401, status);
        Assert.Contains("revoked", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
