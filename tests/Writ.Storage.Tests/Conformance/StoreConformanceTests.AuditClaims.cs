using Writ.Core.Audit;
using Writ.Core.Keys;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AuditAppendWithClaims_FirstOfEachJtiWins_InTheBatchAndAfterIt()
    {
        IReadOnlyList<bool>? firsts = null;
        var claims = new[] { Claim("jti-a"), Claim("jti-a"), Claim("jti-b"), new ReplayClaim("agent:other", "jti-a", T0.AddMinutes(5)) };

        await Store.Audit.AppendAsync(claims, (head, claimed) => { firsts = claimed; return OneRow(head); }, Ct);

        Assert.Equal([true, false, true, true], firsts);
        Assert.False(await Store.ReplayCache.TryRecordAsync("agent:a1", "jti-b", T0.AddMinutes(5), Ct));
        await Store.Audit.AppendAsync([Claim("jti-a")], (head, claimed) => { firsts = claimed; return OneRow(head); }, Ct);
        Assert.Equal([false], firsts);
        Assert.Equal(2, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
    }

    [Fact]
    public async Task AuditAppendClaimingAJtiTheReplayCacheHolds_IsToldItCameSecond()
    {
        Assert.True(await Store.ReplayCache.TryRecordAsync("agent:a1", "jti-seen", T0.AddMinutes(5), Ct));
        IReadOnlyList<bool>? firsts = null;

        await Store.Audit.AppendAsync([Claim("jti-seen")], (head, claimed) => { firsts = claimed; return OneRow(head); }, Ct);

        Assert.Equal([false], firsts);
    }

    [Fact]
    public async Task AuditAppendWithClaims_ThatFails_KeepsNeitherTheRecordNorTheClaim()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Audit.AppendAsync(
            [Claim("jti-failed")],
            (_, _) => throw new InvalidOperationException("signing failed"),
            Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.AppendAsync(
            [Claim("jti-rejected")],
            (head, _) => new AuditBatch([AuditRow(head.TreeSize + 1)], FrontierFor(head.TreeSize + 2), null),
            Ct));

        Assert.Equal(0, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
        Assert.True(await Store.ReplayCache.TryRecordAsync("agent:a1", "jti-failed", T0.AddMinutes(5), Ct));
        Assert.True(await Store.ReplayCache.TryRecordAsync("agent:a1", "jti-rejected", T0.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task AuditLogsInTwoProcesses_ClaimingOneJti_ExactlyOneIssues_TheOthersAreRecordedReplayed()
    {
        using var rootKey = RootKey.Generate();
        await using var otherStore = await OpenSameDatabaseAsync();
        var first = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions(), TimeProvider.System);
        var second = new AuditLogService(otherStore.Audit, rootKey, "writ.test/audit", new AuditOptions(), TimeProvider.System);
        var logs = new[] { first, second };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => logs[i % 2].RecordDurableClaimingAsync(Claim("jti-race"), ClaimEvent("issued"), ClaimEvent("refused"), Ct),
            Ct)));
        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.Single(results, r => r);
        var decisions = new List<string?>();
        await foreach (var row in Store.Audit.ReadAsync(0, long.MaxValue, Ct))
        {
            decisions.Add(AuditRecordEncoding.Decode(row.Canonical).Decision);
        }

        Assert.Equal(1, decisions.Count(d => d == "issued"));
        Assert.Equal(15, decisions.Count(d => d == "refused"));
        var verification = await AuditStoreVerifier.VerifyAsync(Store.Audit, null, [], null, Ct);
        Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());
    }

    private static ReplayClaim Claim(string jti) => new("agent:a1", jti, T0.AddMinutes(5));

    private static AuditBatch OneRow(AuditHead head) => new([AuditRow(head.TreeSize)], FrontierFor(head.TreeSize + 1), null);

    private static AuditEvent ClaimEvent(string decision) => new()
    {
        Type = decision == "issued" ? AuditEventTypes.IdentityIssued : AuditEventTypes.IdentityRefused,
        Agent = "spiffe://writ.test/agent/a1",
        Decision = decision,
    };
}
