using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Writ.Core.Audit;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

/// <summary>
/// The agent cancels its own task with its task token (<c>POST /tasks/v1/cancel</c>), which cascades like an owner's
/// cancel; neither cancel nor complete accepts a task token whose <c>jti</c> was revoked.
/// </summary>
public sealed class AgentTaskCancelTests
{
    private static readonly string Narrow = TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> CancelAsync(TaskWorld world, string? token, string scheme = "Bearer", string? dpop = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tasks/v1/cancel");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        return await world.Host.Http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AgentCancelsItsOwnTask_TheTaskAndItsDelegatesAreCancelled_AnnouncedAndAudited()
    {
        await using var world = await TaskWorld.StartAsync();
        var root = await world.TaskTokenAsync("planner");
        var child = (await world.OkAsync(world.DelegateAsync(root, await world.IdentityTokenAsync("coder"), Narrow)))["access_token"]!.GetValue<string>();
        var rootId = (await world.ClaimsAsync(root)).TaskId;
        var childId = (await world.ClaimsAsync(child)).TaskId;

        using var cancelled = await CancelAsync(world, root);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await WritHost.JsonAsync(cancelled))["state"]!.GetValue<string>());
        Assert.Equal("cancelled", (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + childId))["state"]!.GetValue<string>());
        var log = await world.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        var announced = log["events"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "task").Select(e => e!["subject"]!.GetValue<string>());
        Assert.Equal(new[] { rootId, childId }.Order(StringComparer.Ordinal), announced.Order(StringComparer.Ordinal));
        var records = (await world.Host.Store.Audit.SearchAsync(new AuditQuery { Type = AuditEventTypes.TaskCancelled, NewestFirst = false }, Ct))
            .Select(r => AuditRecordEncoding.Decode(r.Canonical)).ToList();
        Assert.Contains(records, r => r.TaskId == rootId && r.Reason == "cancelled by its agent");
        Assert.Contains(records, r => r.TaskId == childId);
    }

    [Fact]
    public async Task CancelledTask_CannotBeCompletedOrCancelledAgain_Returns409()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        using (var first = await CancelAsync(world, token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await CancelAsync(world, token);
        using var complete = await world.CompleteAsync(token);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
    }

    [Fact]
    public async Task CancelWithoutOrWithAForgedToken_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var none = await CancelAsync(world, null);
        using var forged = await CancelAsync(world, token[..^4] + "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.DoesNotContain("error=", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid_token", forged.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("active", (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + (await world.ClaimsAsync(token)).TaskId))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedTaskTokenJti_CannotCompleteTheTask_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var claims = await world.ClaimsAsync(token);
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = claims.Jti });

        using var complete = await world.CompleteAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, complete.StatusCode);
        Assert.Equal("active", (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedTaskTokenJti_CannotCancelTheTask_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var claims = await world.ClaimsAsync(token);
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = claims.Jti, cause = "token leaked" });

        using var cancel = await CancelAsync(world, token);

        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
        Assert.Equal("active", (await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DpopBoundTask_IsCancelledOnlyWithAProofOfItsKey()
    {
        await using var world = await TaskWorld.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = world.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var token = (await world.OkAsync(world.StartTaskAsync(await world.IdentityTokenAsync("research"), dpop: TaskWorld.DpopProof(key, world.Host.TokenEndpoint, iat: now))))["access_token"]!.GetValue<string>();
        var endpoint = world.Host.Issuer.TrimEnd('/') + "/tasks/v1/cancel";

        using (var noProof = await CancelAsync(world, token, "DPoP"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noProof.StatusCode);
        }

        using var ok = await CancelAsync(world, token, "DPoP", TaskWorld.DpopProof(key, endpoint, iat: now, accessToken: token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
