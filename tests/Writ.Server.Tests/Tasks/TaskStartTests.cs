using System.Security.Cryptography;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

public sealed class TaskStartTests
{
    [Fact]
    public async Task StartTask_IssuesTaskToken_WithTheGrantedIntent()
    {
        await using var world = await TaskWorld.StartAsync();
        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research")));

        Assert.Equal(TokenTypes.TaskToken, body["issued_token_type"]!.GetValue<string>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(600, body["expires_in"]!.GetValue<int>());
        var token = body["access_token"]!.GetValue<string>();
        var header = Jwt.DecodePart(token, 0);
        Assert.Equal("writ-task+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var payload = Jwt.DecodePart(token, 1);
        Assert.Equal("spiffe://writ.local/agent/research", payload.GetProperty("sub").GetString());
        Assert.Equal(TaskWorld.Gateway, payload.GetProperty("aud").GetString());
        Assert.Equal(world.Host.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal("alice", payload.GetProperty("writ_owner").GetString());
        Assert.Equal(body["task_id"]!.GetValue<string>(), payload.GetProperty("tid").GetString());
        Assert.False(payload.TryGetProperty("act", out _));
        Assert.False(payload.TryGetProperty("cnf", out _));
        var intent = payload.GetProperty("authorization_details")[0];
        Assert.Equal("writ_task", intent.GetProperty("type").GetString());
        Assert.Equal(2, intent.GetProperty("tools").GetArrayLength());
        Assert.Equal("PT10M", intent.GetProperty("max_duration").GetString());
        Assert.Equal(600, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task StartTask_GrantsOnlyThePairsPolicyAllows()
    {
        await using var world = await TaskWorld.StartAsync();
        var details = TaskWorld.Intent("""[{"tool":"db.query","targets":["db:orders","db:payroll"]},{"tool":"db.export","targets":["db:payroll"]}]""");

        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), details));

        var tools = body["authorization_details"]![0]!["tools"]!.AsArray();
        var only = Assert.Single(tools);
        Assert.Equal("db.query", only!["tool"]!.GetValue<string>());
        Assert.Equal(["db:orders"], only["targets"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task StartTask_NothingAllowed_IsRefusedWithInvalidAuthorizationDetails()
    {
        await using var world = await TaskWorld.StartAsync();
        var details = TaskWorld.Intent("""[{"tool":"db.export","targets":["db:payroll"]}]""");

        var (status, error, _) = await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), details));

        Assert.Equal(400, status);
        Assert.Equal("invalid_authorization_details", error);
    }

    [Fact]
    public async Task StartTask_LifetimeIsCappedByTheGlobalMaximum()
    {
        await using var world = await TaskWorld.StartAsync();

        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), TaskWorld.Intent(maxDuration: "PT1H")));

        Assert.Equal(900, body["expires_in"]!.GetValue<int>());
        Assert.Equal("PT15M", body["authorization_details"]![0]!["max_duration"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"type":"other","purpose":"p","tools":[{"tool":"github.x","targets":["t"]}],"sensitivity":"internal"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[],"sensitivity":"internal"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["t"]}],"sensitivity":"internal","max_duration":"10 minutes"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["t"]}],"sensitivity":"internal","max_duration":"-PT1M"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["t"]}],"sensitivity":"secret"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"nodot","targets":["t"]}],"sensitivity":"internal"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":[]}],"sensitivity":"internal"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["a b"]}],"sensitivity":"internal"}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["t"]}],"sensitivity":"internal","extra":1}]""")]
    [InlineData("""[{"type":"writ_task","purpose":"p","tools":[{"tool":"github.x","targets":["t"]},{"tool":"github.x","targets":["u"]}],"sensitivity":"internal"}]""")]
    [InlineData("""{"type":"writ_task"}""")]
    [InlineData("""[]""")]
    [InlineData("""not json""")]
    [InlineData("""[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]""")]
    public async Task MalformedIntent_IsRefusedWithInvalidAuthorizationDetails(string details)
    {
        await using var world = await TaskWorld.StartAsync();

        var (status, error, _) = await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), details));

        Assert.Equal(400, status);
        Assert.Equal("invalid_authorization_details", error);
    }

    [Fact]
    public async Task OverlongPurposeOrTooManyTools_AreRefusedWithInvalidAuthorizationDetails()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");
        var longPurpose = "[{\"type\":\"writ_task\",\"purpose\":\"" + new string('p', 513) + "\",\"tools\":[{\"tool\":\"github.x\",\"targets\":[\"t\"]}],\"sensitivity\":\"internal\"}]";
        var manyTools = TaskWorld.Intent("[" + string.Join(',', Enumerable.Range(0, 33).Select(i => $"{{\"tool\":\"github.t{i}\",\"targets\":[\"t\"]}}")) + "]");

        Assert.Equal("invalid_authorization_details", (await TaskWorld.ErrorAsync(world.StartTaskAsync(identity, longPurpose))).Error);
        Assert.Equal("invalid_authorization_details", (await TaskWorld.ErrorAsync(world.StartTaskAsync(identity, manyTools))).Error);
    }

    [Fact]
    public async Task IdentityTokenForAnotherAudience_IsRejected()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research", audience: "https://tools.example");

        var (status, error, description) = await TaskWorld.ErrorAsync(world.StartTaskAsync(identity));

        Assert.Equal(400, status);
        Assert.Equal("invalid_request", error);
        Assert.Contains("not issued for Writ", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendedAgent_CannotStartATask()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");
        await world.Host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        var (_, error, _) = await TaskWorld.ErrorAsync(world.StartTaskAsync(identity));

        Assert.Equal("invalid_request", error);
    }

    [Fact]
    public async Task RevokedIdentityToken_CannotStartATask()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");
        using (var revoked = await world.Host.PostFormAsync("oauth2/revoke", [new("token", identity)]))
        {
            Assert.True(revoked.IsSuccessStatusCode);
        }

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(identity))).Error);
    }

    [Fact]
    public async Task TaskTokenAsSubjectOfAStart_OrForgedIdentityToken_IsRejected()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");
        var parts = identity.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + parts[2][..^4] + "AAAA";

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(forged))).Error);
        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.TaskTokenAsync()))).Error);
    }

    [Fact]
    public async Task ScopeOrActorTokenOnAStart_IsRefusedAsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(identity, extra: [("scope", "read")]))).Error);
        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(identity, extra: [("actor_token", identity), ("actor_token_type", TokenTypes.Jwt)]))).Error);
    }

    [Fact]
    public async Task DpopProof_BindsTheTaskTokenToItsKey()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds());

        var body = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: proof));

        Assert.Equal("DPoP", body["token_type"]!.GetValue<string>());
        var payload = Jwt.DecodePart(body["access_token"]!.GetValue<string>(), 1);
        Assert.Equal(TaskWorld.Thumbprint(key), payload.GetProperty("cnf").GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task ReplayedOrMisdirectedDpopProof_IsRejected()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var proof = TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now);
        await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: proof));

        Assert.Equal("invalid_dpop_proof", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: proof))).Error);
        Assert.Equal("invalid_dpop_proof", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, "https://elsewhere.test/oauth2/token", iat: now)))).Error);
        Assert.Equal("invalid_dpop_proof", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, htm: "GET", iat: now)))).Error);
        Assert.Equal("invalid_dpop_proof", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now - 3600)))).Error);
        Assert.Equal("invalid_dpop_proof", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now, typ: "JWT")))).Error);
    }

    [Fact]
    public async Task StartAndRefusal_AreRecordedForTheAuditLog()
    {
        await using var world = await TaskWorld.StartAsync();
        var identity = await world.IdentityTokenAsync("research");
        await world.OkAsync(world.StartTaskAsync(identity));
        await TaskWorld.ErrorAsync(world.StartTaskAsync(identity, TaskWorld.Intent("""[{"tool":"db.export","targets":["db:payroll"]}]""")));

        var tasks = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks");
        var only = Assert.Single(tasks["items"]!.AsArray());
        Assert.Equal("active", only!["state"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(only["intent"]!.ToJsonString()).RootElement.ValueKind);
    }
}
