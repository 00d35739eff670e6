using System.Net;
using Writ.Core.Identity;
using Writ.Core.Leases;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Conformance;

/// <summary>RFC 7662 and RFC 7009 for the RFC 9068 access tokens Writ issues for leases: Writ answers for what it issued.</summary>
public sealed class AccessTokenIntrospectionAndRevocationTests
{
    private const string Orders = "https://orders.example.test/api";
    private static readonly string Tools = "[{\"tool\":\"db.query\",\"targets\":[\"" + Orders + "\"]}]";

    private static async Task<(TaskWorld World, string TaskToken, string AccessToken)> IssueAsync()
    {
        var world = await TaskWorld.StartAsync();
        var taskToken = await world.TaskTokenAsync(details: TaskWorld.Intent(Tools));
        var body = await world.OkAsync(world.Host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", taskToken), ("subject_token_type", TokenTypes.TaskToken), ("resource", Orders)));
        return (world, taskToken, body["access_token"]!.GetValue<string>());
    }

    private static async Task RevokeAsync(WritHost host, string token)
    {
        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", token), new("token_type_hint", "access_token")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LiveAccessToken_IntrospectsActiveWithItsRfc9068Claims()
    {
        var (world, _, token) = await IssueAsync();
        await using var _ = world;
        var payload = Jwt.DecodePart(token, 1);

        var result = await TaskTokenIntrospectionTests.IntrospectAsync(world.Host, token);

        Assert.True(result.GetProperty("active").GetBoolean());
        Assert.Equal(Orders, result.GetProperty("aud").GetString());
        Assert.Equal("db.query", result.GetProperty("scope").GetString());
        Assert.Equal(payload.GetProperty("client_id").GetString(), result.GetProperty("client_id").GetString());
        Assert.Equal(payload.GetProperty("jti").GetString(), result.GetProperty("jti").GetString());
        Assert.Equal(payload.GetProperty("exp").GetInt64(), result.GetProperty("exp").GetInt64());
        Assert.Equal(world.Host.Issuer, result.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task AccessTokenRevokedByItsHolder_IntrospectsInactive_AndItsLeaseIsRevoked()
    {
        var (world, taskToken, token) = await IssueAsync();
        await using var _ = world;

        await RevokeAsync(world.Host, token);

        var result = await TaskTokenIntrospectionTests.IntrospectAsync(world.Host, token);
        Assert.False(result.GetProperty("active").GetBoolean());
        Assert.Single(result.EnumerateObject());
        var lease = Assert.Single(await world.Host.Store.Leases.ListAsync(new LeaseQuery(TaskId: (await world.ClaimsAsync(taskToken)).TaskId), TestContext.Current.CancellationToken));
        Assert.Equal(LeaseState.Revoked, lease.State);
        Assert.True(await world.Host.Store.Revocations.IsRevokedAsync(Jwt.DecodePart(token, 1).GetProperty("jti").GetString()!, world.Host.Time.GetUtcNow(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AccessTokenOfACompletedTask_IntrospectsInactive()
    {
        var (world, taskToken, token) = await IssueAsync();
        await using var _ = world;
        using (var completed = await world.CompleteAsync(taskToken))
        {
            Assert.True(completed.IsSuccessStatusCode);
        }

        Assert.False((await TaskTokenIntrospectionTests.IntrospectAsync(world.Host, token)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task ExpiredAccessToken_IntrospectsInactive()
    {
        var (world, _, token) = await IssueAsync();
        await using var _ = world;
        world.Host.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.False((await TaskTokenIntrospectionTests.IntrospectAsync(world.Host, token)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AccessTokenWithATamperedSignature_IntrospectsInactive_AndRevokingItRecordsNothing()
    {
        var (world, taskToken, token) = await IssueAsync();
        await using var _ = world;
        var parts = token.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + parts[2][..^4] + "AAAA";

        Assert.False((await TaskTokenIntrospectionTests.IntrospectAsync(world.Host, tampered)).GetProperty("active").GetBoolean());
        await RevokeAsync(world.Host, tampered);
        var lease = Assert.Single(await world.Host.Store.Leases.ListAsync(new LeaseQuery(TaskId: (await world.ClaimsAsync(taskToken)).TaskId), TestContext.Current.CancellationToken));
        Assert.Equal(LeaseState.Active, lease.State);
    }
}
