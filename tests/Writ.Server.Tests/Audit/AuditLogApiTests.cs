using System.Net;
using System.Text.Json.Nodes;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Audit;

/// <summary>The audit API over a real server: what issuance and admin changes record, proofs a verifier can check, and bad inputs.</summary>
public sealed class AuditLogApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IssuedToken_HasADurableIdentityIssuedRecord_NamingItsJtiNotTheToken()
    {
        await using var host = await WritHost.StartAsync();
        var token = await IssueAsync(host);

        var found = await host.AdminOkAsync(HttpMethod.Get, "audit/records?type=identity.issued");
        var record = Assert.Single(found["items"]!.AsArray())!.AsObject();
        var jti = Jwt.DecodePart(token, 1).GetProperty("jti").GetString();

        Assert.Equal(jti, record["detail"]!["jti"]!.GetValue<string>());
        Assert.Equal("spiffe://writ.local/agent/research", record["agent"]!.GetValue<string>());
        Assert.Equal("alice", record["owner"]!.GetValue<string>());
        Assert.Equal("join_token", record["detail"]!["method"]!.GetValue<string>());
        Assert.DoesNotContain(token, await AdminTextAsync(host, "audit/export"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminChange_IsRecordedBeforeAndAfter_WithTheTokensName()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");

        var found = await host.AdminOkAsync(HttpMethod.Get, "audit/records?type=admin.change&order=oldest");
        var records = found["items"]!.AsArray().Select(r => r!.AsObject()).Where(r => r["target"]!.GetValue<string>() == "alice").ToList();

        Assert.Equal(["requested", "applied"], records.Select(r => r["decision"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal("bootstrap", r["actor"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal("owner.add", r["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RefusedAttestation_IsRecordedAsIdentityRefused()
    {
        await using var host = await WritHost.StartAsync();
        using var refused = await host.TokenAsync(("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", "wjt_not-a-real-token"), ("subject_token_type", TokenTypes.JoinToken), ("audience", "https://tools.example"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // The refusal is queued, not awaited; a durable record behind it flushes it.
        await host.AddOwnerAsync("alice");
        var found = await host.AdminOkAsync(HttpMethod.Get, "audit/records?type=identity.refused");
        var record = Assert.Single(found["items"]!.AsArray())!.AsObject();
        Assert.Equal("refused", record["decision"]!.GetValue<string>());
        Assert.Equal("join_token", record["detail"]!["method"]!.GetValue<string>());
        Assert.Contains(": ", record["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("wjt_not-a-real-token", record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShownRecord_CarriesAnInclusionProof_ThatVerifiesAgainstThePublishedKey()
    {
        await using var host = await WritHost.StartAsync();
        await IssueAsync(host);

        // Checkpoints follow the checkpoint interval; once it passed, the next batch is signed.
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.AdminOkAsync(HttpMethod.Post, "owners", new { name = "bob" });

        var key = AuditVerifierKey.Parse((await host.Http.GetStringAsync(".well-known/writ-audit-key", Ct)).Trim());
        var shown = await host.AdminOkAsync(HttpMethod.Get, "audit/records/2");
        var note = shown["checkpoint"]!["note"]!.GetValue<string>();
        var checkpoint = Checkpoint.Verify(note, key);
        var leaf = Convert.FromBase64String(shown["record"]!["leafHash"]!.GetValue<string>());
        var proof = shown["inclusionProof"]!.AsArray().Select(p => Convert.FromBase64String(p!.GetValue<string>())).ToList();

        Assert.Equal("writ.local/audit", key.Name);
        Assert.True(MerkleProofs.VerifyInclusion(2, checkpoint.TreeSize, leaf, proof, checkpoint.RootHash.Span));
        var adminKey = await host.AdminOkAsync(HttpMethod.Get, "audit/key");
        Assert.Equal(key.ToString(), adminKey["verifierKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConsistencyProof_BetweenTwoCheckpoints_Verifies()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var key = AuditVerifierKey.Parse((await host.Http.GetStringAsync(".well-known/writ-audit-key", Ct)).Trim());
        var first = Checkpoint.Verify((await host.AdminOkAsync(HttpMethod.Get, "audit/checkpoints/latest"))["note"]!.GetValue<string>(), key);

        // A later batch is checkpointed once the checkpoint interval has passed.
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.AddOwnerAsync("bob");
        var second = Checkpoint.Verify((await host.AdminOkAsync(HttpMethod.Get, "audit/checkpoints/latest"))["note"]!.GetValue<string>(), key);
        var consistency = await host.AdminOkAsync(HttpMethod.Get, $"audit/consistency?first={first.TreeSize}&second={second.TreeSize}");
        var proof = consistency["proof"]!.AsArray().Select(p => Convert.FromBase64String(p!.GetValue<string>())).ToList();

        Assert.True(second.TreeSize > first.TreeSize);
        Assert.True(MerkleProofs.VerifyConsistency(first.TreeSize, second.TreeSize, first.RootHash.Span, second.RootHash.Span, proof));
        var list = await host.AdminOkAsync(HttpMethod.Get, "audit/checkpoints");
        Assert.Equal(second.TreeSize, list["items"]![0]!["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task Export_StreamsEveryRecordAsJsonLines_InOrder()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.AddOwnerAsync("bob");

        var lines = (await AdminTextAsync(host, "audit/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.Equal([0L, 1, 2, 3], lines.Select(l => JsonNode.Parse(l)!["seq"]!.GetValue<long>()));
    }

    [Fact]
    public async Task SearchPages_WithTheCursor_AndFiltersByTime()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.AddOwnerAsync("bob");

        var page1 = await host.AdminOkAsync(HttpMethod.Get, "audit/records?limit=3");
        var page2 = await host.AdminOkAsync(HttpMethod.Get, $"audit/records?limit=3&cursor={page1["nextCursor"]}");
        var future = await host.AdminOkAsync(HttpMethod.Get, "audit/records?from=" + Uri.EscapeDataString(host.Time.GetUtcNow().AddMinutes(1).ToString("O")));

        Assert.Equal([3L, 2, 1], page1["items"]!.AsArray().Select(r => r!["seq"]!.GetValue<long>()));
        Assert.Equal([0L], page2["items"]!.AsArray().Select(r => r!["seq"]!.GetValue<long>()));
        Assert.Null(page2["nextCursor"]);
        Assert.Empty(future["items"]!.AsArray());
    }

    [Theory]
    [InlineData("audit/records?limit=0", "invalid_limit")]
    [InlineData("audit/records?limit=abc", "invalid_limit")]
    [InlineData("audit/records?cursor=-1", "invalid_cursor")]
    [InlineData("audit/records?from=yesterday", "invalid_from")]
    [InlineData("audit/records?type=a&type=b", "invalid_type")]
    [InlineData("audit/records?order=sideways", "invalid_order")]
    [InlineData("audit/records?bogus=1", "unknown_parameter")]
    [InlineData("audit/records/x1", "invalid_seq")]
    [InlineData("audit/consistency?first=5&second=2", "invalid_sizes")]
    [InlineData("audit/consistency?first=0&second=99999", "invalid_sizes")]
    [InlineData("audit/consistency", "invalid_sizes")]
    public async Task MalformedAuditQuery_Returns400WithItsCode(string path, string code)
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await WritHost.JsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRecord_Returns404()
    {
        await using var host = await WritHost.StartAsync();
        using var response = await host.AdminAsync(HttpMethod.Get, "audit/records/12345");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AuditApiWithoutAdminToken_Returns401_ButTheVerifierKeyIsPublic()
    {
        await using var host = await WritHost.StartAsync();

        using var records = await host.Http.GetAsync("admin/v1/audit/records", Ct);
        using var key = await host.Http.GetAsync(".well-known/writ-audit-key", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, records.StatusCode);
        Assert.Equal(HttpStatusCode.OK, key.StatusCode);
    }

    [Fact]
    public async Task OwnerScopedAdminToken_CannotReadTheAuditLog_Returns403()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-ops", owner = "alice" }))["token"]!.GetValue<string>();

        using var response = await host.AdminAsync(HttpMethod.Get, "audit/records", token: scoped);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<string> IssueAsync(WritHost host)
    {
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var joinToken = await host.CreateJoinTokenAsync("research");
        using var response = await host.TokenAsync(("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", "https://tools.example"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>();
    }

    private static async Task<string> AdminTextAsync(WritHost host, string path)
    {
        using var response = await host.AdminAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
