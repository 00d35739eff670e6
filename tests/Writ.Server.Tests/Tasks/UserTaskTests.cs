using System.Text.Json;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

public sealed class UserTaskTests
{
    private const string IdpAudience = "writ-users";

    private static async Task<(TaskWorld World, ExternalIssuerServer Idp)> SetUpAsync()
    {
        var world = await TaskWorld.StartAsync();
        var idp = await ExternalIssuerServer.StartAsync();
        await world.Host.RegisterAgentAsync("robot", "alice", methods: ["external_issuer"]);
        await world.Host.AdminOkAsync(HttpMethod.Post, "issuers", new
        {
            name = "idp",
            issuer = idp.Issuer,
            jwks = JsonDocument.Parse(idp.JwksJson()).RootElement,
            audience = IdpAudience,
            rules = new object[] { new { claims = new Dictionary<string, string> { ["sub"] = "svc:robot" }, agent = "robot" } },
        });
        return (world, idp);
    }

    private static string UserToken(TaskWorld world, ExternalIssuerServer idp, string subject = "user-42") =>
        idp.Sign(idp.Claims(IdpAudience, world.Host.Time.GetUtcNow(), subject));

    [Fact]
    public async Task TaskForAUser_HasTheUserAsSubjectAndTheAgentAsActor_AndDelegationNestsTheChain()
    {
        var (world, idp) = await SetUpAsync();
        await using var _ = world;
        await using var __ = idp;

        var started = await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("planner"), extra: [("user_token", UserToken(world, idp))]));
        var parent = started["access_token"]!.GetValue<string>();
        var payload = Jwt.DecodePart(parent, 1);
        Assert.Equal("user-42", payload.GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/planner", payload.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal(idp.Issuer, payload.GetProperty("writ_user").GetProperty("iss").GetString());
        Assert.True((await world.DecideAsync(parent, "github.search_issues", "repo:acme/web")).Allowed);

        var delegated = await world.OkAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("coder"), TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M")));

        var child = Jwt.DecodePart(delegated["access_token"]!.GetValue<string>(), 1);
        Assert.Equal("user-42", child.GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/coder", child.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/planner", child.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        var claims = await world.ClaimsAsync(delegated["access_token"]!.GetValue<string>());
        Assert.Equal("coder", claims.AgentName);
        Assert.Equal(["spiffe://writ.local/agent/planner"], claims.Chain);
        var task = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId);
        Assert.Equal(idp.Issuer + "|user-42", task["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task UserTokenFromAnUntrustedIssuer_IsRefused()
    {
        var (world, idp) = await SetUpAsync();
        await using var _ = world;
        await using var __ = idp;
        await using var rogue = await ExternalIssuerServer.StartAsync();

        var (_, error, _) = await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("planner"), extra: [("user_token", UserToken(world, rogue))]));

        Assert.Equal("invalid_request", error);
    }

    [Fact]
    public async Task AgentTokenPassedAsAUserToken_IsRefused()
    {
        var (world, idp) = await SetUpAsync();
        await using var _ = world;
        await using var __ = idp;

        var (_, error, description) = await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("planner"), extra: [("user_token", UserToken(world, idp, "svc:robot"))]));

        Assert.Equal("invalid_request", error);
        Assert.Contains("agent's token", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredUserToken_IsRefused()
    {
        var (world, idp) = await SetUpAsync();
        await using var _ = world;
        await using var __ = idp;
        var token = UserToken(world, idp);
        world.Host.Time.Advance(TimeSpan.FromMinutes(12));

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.StartTaskAsync(await world.IdentityTokenAsync("planner"), extra: [("user_token", token)]))).Error);
    }
}
