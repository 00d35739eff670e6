using System.Net;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

/// <summary>
/// RFC 7009 revocation (<c>POST /oauth2/revoke</c>) takes task tokens as well as identity tokens: the token's
/// <c>jti</c> is revoked until it expires, so the token no longer completes its task; the task itself stays.
/// </summary>
public sealed class TaskTokenRfc7009RevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TaskTokenRevokedByItsHolder_IsRecordedUntilItExpires_AndCannotCompleteTheTask()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var claims = await world.ClaimsAsync(token);

        using var revoke = await world.Host.PostFormAsync("oauth2/revoke", [new("token", token)]);
        using var complete = await world.CompleteAsync(token);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var entry = Assert.Single(await world.Host.Store.Revocations.ListActiveAsync(world.Host.Time.GetUtcNow(), Ct), r => r.Jti == claims.Jti);
        Assert.Equal(claims.ExpiresAt, entry.ExpiresAt);
        Assert.Equal(HttpStatusCode.Unauthorized, complete.StatusCode);
        Assert.Equal("active", (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedTaskToken_CannotDelegate_AndTheRefusalIsRecorded()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("planner");
        using var revoke = await world.Host.PostFormAsync("oauth2/revoke", [new("token", token)]);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var narrow = TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M");
        var (status, error, _) = await TaskWorld.ErrorAsync(world.DelegateAsync(token, await world.IdentityTokenAsync("coder"), narrow));

        Assert.Equal(400, status);
        Assert.Equal("invalid_request", error);
        Assert.Single((await world.Host.AdminOkAsync(HttpMethod.Get, "tasks"))["items"]!.AsArray());
        var refusals = await world.Host.Store.Audit.SearchAsync(new Writ.Core.Audit.AuditQuery { Type = Writ.Core.Audit.AuditEventTypes.DelegationRefused }, Ct);
        Assert.Contains("revoked", Writ.Core.Audit.AuditRecordEncoding.Decode(Assert.Single(refusals).Canonical).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedTaskToken_Returns200_AndRecordsNothing()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        using var revoke = await world.Host.PostFormAsync("oauth2/revoke", [new("token", tampered)]);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Empty(await world.Host.Store.Revocations.ListActiveAsync(world.Host.Time.GetUtcNow(), Ct));
    }
}
