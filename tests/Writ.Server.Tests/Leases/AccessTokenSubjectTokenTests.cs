using System.Security.Cryptography;
using Writ.Core.Identity;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// RFC 8693 §2.2.2: a resource exchange whose subject token is invalid or unacceptable is answered with
/// <c>invalid_request</c>, and no access token is issued.
/// </summary>
public sealed class AccessTokenSubjectTokenTests
{
    private const string Orders = "https://orders.example.test/api";

    private static readonly string Tools = "[{\"tool\":\"db.query\",\"targets\":[\"" + Orders + "\"]}]";

    private static Task<HttpResponseMessage> Exchange(TaskWorld world, string taskToken) =>
        world.Host.TokenAsync(
        [
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", taskToken),
            ("subject_token_type", TokenTypes.TaskToken),
            ("resource", Orders),
        ]);

    private static async Task AssertNoLeaseAsync(TaskWorld world) =>
        Assert.Empty(await world.Host.Store.Leases.ListAsync(new Writ.Core.Leases.LeaseQuery(), TestContext.Current.CancellationToken));

    [Fact]
    public async Task DpopBoundTaskTokenAsSubject_ReturnsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: world.Host.Time.GetUtcNow().ToUnixTimeSeconds());
        var token = (await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), TaskWorld.Intent(Tools), dpop: proof)))["access_token"]!.GetValue<string>();

        var (status, error, description) = await TaskWorld.ErrorAsync(Exchange(world, token));

        Assert.Equal((400, "invalid_request"), (status, error));
        Assert.Contains("DPoP-bound", description, StringComparison.Ordinal);
        await AssertNoLeaseAsync(world);
    }

    [Fact]
    public async Task IdentityTokenAsTaskSubjectToken_ReturnsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var identityToken = await world.IdentityTokenAsync("research");

        var (status, error, _) = await TaskWorld.ErrorAsync(Exchange(world, identityToken));

        Assert.Equal((400, "invalid_request"), (status, error));
        await AssertNoLeaseAsync(world);
    }

    [Fact]
    public async Task CancelledTasksToken_ReturnsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        await world.Host.AdminOkAsync(HttpMethod.Post, "tasks/" + (await world.ClaimsAsync(token)).TaskId + "/cancel");

        var (status, error, _) = await TaskWorld.ErrorAsync(Exchange(world, token));

        Assert.Equal((400, "invalid_request"), (status, error));
        await AssertNoLeaseAsync(world);
    }

    [Fact]
    public async Task TaskTokenWhoseJtiWasRevoked_ReturnsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = (await world.ClaimsAsync(token)).Jti, cause = "token leaked" });

        var (status, error, description) = await TaskWorld.ErrorAsync(Exchange(world, token));

        Assert.Equal((400, "invalid_request"), (status, error));
        Assert.Contains("revoked", description, StringComparison.Ordinal);
        await AssertNoLeaseAsync(world);
    }
}
