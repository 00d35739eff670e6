using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Writ.Core.Identity;
using Writ.Core.Leases;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Leases;

/// <summary>RFC 8707 resource exchange: a task token in, an RFC 9068 access token for one resource server out.</summary>
public sealed class AccessTokenTests
{
    private const string Orders = "https://orders.example.test/api";
    private const string Billing = "https://billing.example.test";

    private static readonly string Tools =
        "[{\"tool\":\"db.query\",\"targets\":[\"" + Orders + "\",\"db:orders\"]},{\"tool\":\"db.export\",\"targets\":[\"" + Orders + "\"]},{\"tool\":\"github.search_issues\",\"targets\":[\"repo:acme/web\"]}]";

    private static Task<HttpResponseMessage> Exchange(TaskWorld world, string taskToken, string resource, params (string Name, string Value)[] extra) =>
        world.Host.TokenAsync(
        [
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", taskToken),
            ("subject_token_type", TokenTypes.TaskToken),
            ("resource", resource),
            .. extra,
        ]);

    [Fact]
    public async Task ResourceExchange_IssuesAtJwt_ForExactlyTheTasksToolsOnThatResource()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var task = await world.ClaimsAsync(taskToken);

        var body = await world.OkAsync(Exchange(world, taskToken, Orders));

        Assert.Equal(AccessTokenExchange.AccessTokenType, body["issued_token_type"]!.GetValue<string>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal("db.query db.export", body["scope"]!.GetValue<string>());
        Assert.Equal(300, body["expires_in"]!.GetValue<long>());
        var token = body["access_token"]!.GetValue<string>();
        await VerifySignatureAsync(world.Host, token);
        var header = Jwt.DecodePart(token, 0);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        var payload = Jwt.DecodePart(token, 1);
        Assert.Equal(Orders, payload.GetProperty("aud").GetString());
        Assert.Equal(world.Host.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal("spiffe://writ.local/agent/research", payload.GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/research", payload.GetProperty("client_id").GetString());
        Assert.Equal("db.query db.export", payload.GetProperty("scope").GetString());
        Assert.Equal(task.TaskId, payload.GetProperty("tid").GetString());
        Assert.Equal(300, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());

        var lease = Assert.Single(await world.Host.Store.Leases.ListAsync(new LeaseQuery(TaskId: task.TaskId), TestContext.Current.CancellationToken));
        Assert.Equal(LeaseKind.AccessToken, lease.Kind);
        Assert.Equal(payload.GetProperty("jti").GetString(), lease.Subject);
    }

    [Fact]
    public async Task AccessToken_VerifiesWithJose_ForItsResourceOnly()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var token = (await world.OkAsync(Exchange(world, taskToken, Orders)))["access_token"]!.GetValue<string>();
        var jwks = world.Host.Issuer.TrimEnd('/') + "/.well-known/jwks.json";

        var (exit, output) = await JoseAccessTokenCheck.VerifyAsync(token, jwks, world.Host.Issuer, Orders);
        var (otherExit, otherOutput) = await JoseAccessTokenCheck.VerifyAsync(token, jwks, world.Host.Issuer, Billing);

        Assert.True(exit == 0, output);
        Assert.Contains("\"scope\":\"db.query db.export\"", output, StringComparison.Ordinal);
        Assert.Equal(1, otherExit);
        Assert.Contains("ERR_JWT_CLAIM_VALIDATION_FAILED", otherOutput, StringComparison.Ordinal);

        // A task token is not an access token: jose refuses its type.
        var (taskExit, _) = await JoseAccessTokenCheck.VerifyAsync(taskToken, jwks, world.Host.Issuer, TaskWorld.Gateway);
        Assert.Equal(1, taskExit);
    }

    [Fact]
    public async Task NarrowerScope_IsHonoured_AndWiderScope_IsRefused()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));

        var narrow = await world.OkAsync(Exchange(world, taskToken, Orders, ("scope", "db.query")));
        Assert.Equal("db.query", narrow["scope"]!.GetValue<string>());

        var (status, error, _) = await TaskWorld.ErrorAsync(Exchange(world, taskToken, Orders, ("scope", "db.query github.search_issues")));
        Assert.Equal((400, "invalid_scope"), (status, error));
    }

    [Fact]
    public async Task ResourceTheTaskHasNoToolFor_ReturnsInvalidTarget()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));

        Assert.Equal((400, "invalid_target"), Trim(await TaskWorld.ErrorAsync(Exchange(world, taskToken, Billing))));
        Assert.Equal((400, "invalid_target"), Trim(await TaskWorld.ErrorAsync(Exchange(world, taskToken, "not a uri"))));
        Assert.Equal((400, "invalid_target"), Trim(await TaskWorld.ErrorAsync(Exchange(world, taskToken, "http://orders.example.test/api"))));
    }

    [Fact]
    public async Task ForgedTaskToken_ReturnsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var forged = taskToken[..^4] + (taskToken[^4..] == "AAAA" ? "BBBB" : "AAAA");

        Assert.Equal((400, "invalid_request"), Trim(await TaskWorld.ErrorAsync(Exchange(world, forged, Orders))));
    }

    [Fact]
    public async Task CompletedTask_GetsNoAccessToken_AndItsLeasesEnd()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var task = await world.ClaimsAsync(taskToken);
        await world.OkAsync(Exchange(world, taskToken, Orders));

        using (var completed = await world.CompleteAsync(taskToken))
        {
            Assert.True(completed.IsSuccessStatusCode);
        }

        await world.Host.App.Services.GetRequiredService<LeaseReaping>().RunOnceAsync(TestContext.Current.CancellationToken);

        var lease = Assert.Single(await world.Host.Store.Leases.ListAsync(new LeaseQuery(TaskId: task.TaskId), TestContext.Current.CancellationToken));
        Assert.Equal(LeaseState.Revoked, lease.State);
        Assert.Equal("task completed", lease.EndReason);
        Assert.Equal((400, "invalid_request"), Trim(await TaskWorld.ErrorAsync(Exchange(world, taskToken, Orders))));
    }

    [Fact]
    public async Task AccessToken_NeverOutlivesTheTask()
    {
        await using var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools, maxDuration: "PT10M"));
        world.Host.Time.Advance(TimeSpan.FromMinutes(8));

        var body = await world.OkAsync(Exchange(world, taskToken, Orders));

        Assert.InRange(body["expires_in"]!.GetValue<long>(), 119, 120);
        var exp = Jwt.DecodePart(body["access_token"]!.GetValue<string>(), 1).GetProperty("exp").GetInt64();
        Assert.True(exp <= Jwt.DecodePart(taskToken, 1).GetProperty("exp").GetInt64());
    }

    private static (int, string) Trim((int Status, string Error, string Description) error) => (error.Status, error.Error);

    private static async Task VerifySignatureAsync(WritHost host, string token)
    {
        var parts = token.Split('.');
        var kid = Jwt.DecodePart(token, 0).GetProperty("kid").GetString();
        var jwk = (await host.JwksAsync()).Keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
    }
}
