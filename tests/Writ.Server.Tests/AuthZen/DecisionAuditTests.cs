using Writ.Core.Audit;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Policy;
using static Writ.Server.Tests.AuthZen.AuthZenClient;

namespace Writ.Server.Tests.AuthZen;

/// <summary>What the audit log keeps of policy changes and AuthZEN decisions.</summary>
public sealed class DecisionAuditTests
{
    private static async Task<List<AuditRecord>> RecordsAsync(WritHost host, string type)
    {
        var stored = await host.Store.Audit.SearchAsync(new AuditQuery { Type = type, NewestFirst = false }, TestContext.Current.CancellationToken);
        return [.. stored.Select(r => AuditRecordEncoding.Decode(r.Canonical))];
    }

    [Fact]
    public async Task PolicySetApplyAndActivate_AreRecordedWithTheAdminTokensName()
    {
        await using var host = await WritHost.StartAsync();

        await host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("a.cedar", PolicyTestData.PermitSearch)) });

        var applied = Assert.Single(await RecordsAsync(host, AuditEventTypes.PolicySetApplied));
        var activated = Assert.Single(await RecordsAsync(host, AuditEventTypes.PolicySetActivated));
        Assert.Equal("bootstrap", applied.Actor);
        Assert.Equal("policy-set:1", applied.Target);
        Assert.Equal("policy-set:1", activated.Target);
        Assert.True(applied.Sequence < activated.Sequence);
    }

    [Fact]
    public async Task RefusedPolicySet_RecordsNoApply()
    {
        await using var host = await WritHost.StartAsync();

        using var refused = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("bad.cedar", PolicyTestData.Invalid)) });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(await RecordsAsync(host, AuditEventTypes.PolicySetApplied));
    }

    [Fact]
    public async Task EveryDecision_IsRecorded_WithCallerResourcePoliciesAndRequestId()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);
        using (var response = await PostAsync(host, "stores/docs/access/v1/evaluation", Evaluation("User", "alice", "edit", "Document", "d1"), requestId: "req-42"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        await OkAsync(host, "stores/docs/access/v1/evaluations", "{\"subject\":{\"type\":\"User\",\"id\":\"bob\"},\"action\":{\"name\":\"view\"},\"evaluations\":[{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}},{\"resource\":{\"type\":\"Document\",\"id\":\"d2\"}}]}");

        // A durable record commits everything queued before it, so the decisions are readable afterwards.
        await host.AddOwnerAsync("flush");
        var decisions = await RecordsAsync(host, AuditEventTypes.Decision);

        Assert.Equal(3, decisions.Count);
        var first = decisions[0];
        Assert.Equal("allow", first.Decision);
        Assert.Equal("bootstrap", first.Actor);
        Assert.Equal("Document::d1", first.Target);
        Assert.Equal(["owner-edits"], first.Policies);
        Assert.Equal("req-42", first.Detail!["request_id"]);
        Assert.Equal("store:docs", first.Detail["pdp"]);
        Assert.Equal(["Document::d1", "Document::d2"], decisions.Skip(1).Select(d => d.Target));
    }
}
