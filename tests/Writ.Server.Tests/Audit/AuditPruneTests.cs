using System.Net;
using System.Text.Json.Nodes;
using Writ.Core.Audit;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Audit;

/// <summary>Retention over the audit API: pruning at a checkpoint keeps the rest verifiable against signed history.</summary>
public sealed class AuditPruneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PruneAtACheckpoint_DeletesOlderRecords_AndTheRestStillVerifies()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var checkpoint = (await host.AdminOkAsync(HttpMethod.Get, "audit/checkpoints/latest"))["treeSize"]!.GetValue<long>();
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.AddOwnerAsync("bob");

        var pruned = await host.AdminOkAsync(HttpMethod.Post, "audit/prune", new { before = checkpoint });

        Assert.Equal(checkpoint, pruned["prunedBefore"]!.GetValue<long>());
        Assert.Equal(checkpoint, pruned["deleted"]!.GetValue<long>());
        using var gone = await host.AdminAsync(HttpMethod.Get, "audit/records/0");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var verification = await AuditStoreVerifier.VerifyAsync(host.Store.Audit, null, [], null, Ct);
        Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());
        Assert.Equal(checkpoint, verification.Result.PrunedBefore);

        // The prune itself is an admin change, recorded before and after.
        var records = await host.AdminOkAsync(HttpMethod.Get, "audit/records?type=admin.change");
        Assert.Contains(records["items"]!.AsArray(), r => r!["reason"]!.GetValue<string>() == "audit.prune");
    }

    [Theory]
    [InlineData(0, "invalid_before")]
    [InlineData(-3, "invalid_before")]
    [InlineData(999999, "not_a_checkpoint")]
    public async Task PruneNotAtACheckpoint_Returns400_AndDeletesNothing(long before, string code)
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var before0 = (await host.AdminOkAsync(HttpMethod.Get, "audit/records/0"))["record"]!.ToJsonString();

        using var response = await host.AdminAsync(HttpMethod.Post, "audit/prune", new { before });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal(before0, (await host.AdminOkAsync(HttpMethod.Get, "audit/records/0"))["record"]!.ToJsonString());
    }

    [Fact]
    public async Task PruneBelowAnEarlierPrune_Returns400()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var checkpoint = (await host.AdminOkAsync(HttpMethod.Get, "audit/checkpoints/latest"))["treeSize"]!.GetValue<long>();
        await host.AdminOkAsync(HttpMethod.Post, "audit/prune", new { before = checkpoint });

        using var again = await host.AdminAsync(HttpMethod.Post, "audit/prune", new { before = checkpoint });

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already_pruned", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
