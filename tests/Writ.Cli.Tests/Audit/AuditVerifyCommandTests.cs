using System.Text.Json.Nodes;
using Writ.Cli.Commands;
using Writ.Cli.Tests.EndToEnd;
using Writ.Cli.Tests.Support;
using Writ.Core.Audit;

namespace Writ.Cli.Tests.Audit;

// `writ audit verify` as a real process over a real SQLite data directory: 60 records appended in
// batches of 10, each batch with a checkpoint, then tampered with through raw SQL.
public sealed class AuditVerifyCommandTests : IAsyncLifetime
{
    private AuditDataDirectory _data = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _data = await AuditDataDirectory.CreateAsync(60, 10, Token);

    public ValueTask DisposeAsync()
    {
        _data.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task IntactLog_Verifies()
    {
        var result = await VerifyAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Audit log verified: 60 records", result.Output, StringComparison.Ordinal);
        Assert.Contains("from the store; pass --key", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntactLog_AsJson_ReportsWhatWasProven()
    {
        var json = Json(await VerifyAsync("--json", "--key", _data.Key.VerifierKey.ToString()));

        Assert.True((bool)json["verified"]!);
        Assert.Null(json["fault"]);
        Assert.Equal(60, (long)json["treeSize"]!);
        Assert.Equal(6, (int)json["checkpointsMatched"]!);
        Assert.Equal(60, (long)json["latestCheckpointSize"]!);
        Assert.False((bool)json["keyFromStore"]!);
        Assert.Equal(await _data.ReadNoteAsync(60), (string)json["latestCheckpoint"]!);
    }

    [Fact]
    public async Task EditedRecord_IsReportedAtItsSequence()
    {
        await _data.ExecuteAsync("UPDATE audit_record SET canonical = @bytes WHERE seq = 23;", ("@bytes", AuditDataDirectory.Encode(23, "deny")));

        AssertFault(await VerifyAsync("--json"), "edited", 23);
    }

    [Fact]
    public async Task EditedRecordWithRewrittenLeafHash_IsReportedInItsCheckpointInterval()
    {
        var bytes = AuditDataDirectory.Encode(23, "deny");
        // A thorough forger: the bytes, their leaf hash and the searchable copy all agree.
        await _data.ExecuteAsync("UPDATE audit_record SET canonical = @bytes, leaf_hash = @hash, decision = 'deny' WHERE seq = 23;", ("@bytes", bytes), ("@hash", MerkleHash.HashLeaf(bytes)));

        var json = AssertFault(await VerifyAsync("--json"), "edited", 20);
        Assert.Equal(30, (long)json["fault"]!["upTo"]!);
    }

    [Fact]
    public async Task EditedRecordWithRewrittenLeafHash_ButNotItsSearchableCopy_IsReportedAtItsSequence()
    {
        var bytes = AuditDataDirectory.Encode(23, "deny");
        await _data.ExecuteAsync("UPDATE audit_record SET canonical = @bytes, leaf_hash = @hash WHERE seq = 23;", ("@bytes", bytes), ("@hash", MerkleHash.HashLeaf(bytes)));

        AssertFault(await VerifyAsync("--json"), "edited", 23);
    }

    [Fact]
    public async Task NonCanonicalRecordWithRewrittenLeafHash_IsReportedAtItsSequence()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(AuditDataDirectory.Encode(41)).Replace("\"owner\":", "\"owner\": ", StringComparison.Ordinal));
        await _data.ExecuteAsync("UPDATE audit_record SET canonical = @bytes, leaf_hash = @hash WHERE seq = 41;", ("@bytes", bytes), ("@hash", MerkleHash.HashLeaf(bytes)));

        AssertFault(await VerifyAsync("--json"), "edited", 41);
    }

    [Fact]
    public async Task EditedSearchableCopy_IsReportedAtItsSequence()
    {
        await _data.ExecuteAsync("UPDATE audit_record SET agent = 'spiffe://acme.test/agent/innocent' WHERE seq = 37;");

        AssertFault(await VerifyAsync("--json"), "edited", 37);
    }

    [Fact]
    public async Task DeletedRecord_IsReportedAtItsSequence()
    {
        await _data.ExecuteAsync("DELETE FROM audit_record WHERE seq = 17;");

        AssertFault(await VerifyAsync("--json"), "deleted", 17);
    }

    [Fact]
    public async Task ReorderedRecords_AreReportedAtTheFirst()
    {
        // Swap the sequence numbers of two rows, as an UPDATE that reorders the table would.
        await _data.ExecuteAsync("UPDATE audit_record SET seq = -1 WHERE seq = 5; UPDATE audit_record SET seq = 5 WHERE seq = 6; UPDATE audit_record SET seq = 6 WHERE seq = -1;");

        AssertFault(await VerifyAsync("--json"), "reordered", 5);
    }

    [Fact]
    public async Task InsertedRecord_IsReportedAtItsSequence()
    {
        // Make room at 26 by pushing the later rows back, then insert a forged record there.
        var forged = AuditDataDirectory.Encode(26, "deny");
        await _data.ExecuteAsync(
            "UPDATE audit_record SET seq = seq + 1000000 WHERE seq >= 26; UPDATE audit_record SET seq = seq - 999999 WHERE seq >= 1000000; "
            + "INSERT INTO audit_record (seq, at, type, agent, owner, task_id, decision, actor, canonical, leaf_hash) VALUES (26, 0, 'decision', 'spiffe://acme.test/agent/a1', 'team-a', NULL, 'deny', NULL, @bytes, @hash); "
            + "UPDATE audit_head SET tree_size = 61;",
            ("@bytes", forged),
            ("@hash", MerkleHash.HashLeaf(forged)));

        AssertFault(await VerifyAsync("--json"), "inserted", 26);
    }

    [Fact]
    public async Task TruncatedLog_IsReportedAtTheFirstMissingSequence()
    {
        await _data.ExecuteAsync("DELETE FROM audit_record WHERE seq >= 44; UPDATE audit_head SET tree_size = 44;");

        var result = await VerifyAsync();

        Assert.Equal(AuditVerifyCommand.VerificationFailed, result.ExitCode);
        Assert.Contains("FAILED verification at sequence 44: truncated", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncationThatAlsoDeletesCheckpoints_IsCaughtByAKeptCheckpoint()
    {
        var kept = Path.Combine(_data.Directory, "kept-checkpoint");
        await File.WriteAllTextAsync(kept, await _data.ReadNoteAsync(60), Token);
        await _data.ExecuteAsync("DELETE FROM audit_record WHERE seq >= 44; DELETE FROM audit_checkpoint WHERE tree_size > 40; UPDATE audit_head SET tree_size = 44;");

        Assert.Equal(0, (await VerifyAsync()).ExitCode);
        AssertFault(await VerifyAsync("--json", "--checkpoint", kept), "truncated", 44);
    }

    [Fact]
    public async Task PrunedLog_VerifiesFromItsKeptFrontier()
    {
        await PruneAsync(30);

        var json = Json(await VerifyAsync("--json"));

        Assert.True((bool)json["verified"]!, json.ToJsonString());
        Assert.Equal((30L, 30L, 60L), ((long)json["prunedBefore"]!, (long)json["recordsChecked"]!, (long)json["treeSize"]!));
        Assert.Equal(2, (int)json["checkpointsSignatureOnly"]!);
    }

    [Fact]
    public async Task PrunedLogWithAlteredFrontier_IsReported()
    {
        await PruneAsync(30);
        await _data.ExecuteAsync("UPDATE audit_head SET pruned_frontier = @frontier;", ("@frontier", FrontierOf(29, extra: true)));

        AssertFault(await VerifyAsync("--json"), "pruned-frontier-invalid", 30);
    }

    [Fact]
    public async Task TamperedCheckpoint_IsReported()
    {
        await _data.ExecuteAsync("UPDATE audit_checkpoint SET note = replace(note, char(10) || '30' || char(10), char(10) || '31' || char(10)) WHERE tree_size = 30;");

        AssertFault(await VerifyAsync("--json"), "checkpoint-invalid", 31);
    }

    [Fact]
    public async Task ReplacedStoredKey_IsCaughtByThePublishedKey()
    {
        using var other = AuditSigningKey.Generate(AuditDataDirectory.Origin);

        AssertFault(await VerifyAsync("--json", "--key", other.VerifierKey.ToString()), "key-mismatch", 0);
    }

    [Fact]
    public async Task MalformedKey_IsAUsageError()
    {
        var result = await VerifyAsync("--key", "not-a-key");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--key is not an audit verifier key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDataDirectory_IsAnErrorNotAnEmptyLog()
    {
        var missing = Path.Combine(_data.Directory, "nothing-here");

        var result = await WritProcess.RunAsync(_data.Directory, null, "audit", "verify", "--data", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No Writ database", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task DataDirectory_IsTakenFromWritData()
    {
        var result = await WritProcess.RunAsync(Path.GetTempPath(), new Dictionary<string, string> { ["WRIT_DATA"] = _data.Directory }, "audit", "verify", "--json");

        Assert.True((bool)Json(result)["verified"]!, result.ToString());
    }

    private async Task PruneAsync(int before)
    {
        await using var store = Writ.Storage.Sqlite.SqliteWritStore.ForDataDirectory(_data.Directory);
        Assert.Equal(before, await store.Audit.PruneAsync(before, FrontierOf(before), Token));
    }

    private static byte[] FrontierOf(int size, bool extra = false)
    {
        var frontier = new MerkleFrontier();
        for (var i = 0; i < size; i++)
        {
            frontier.Append(MerkleHash.HashLeaf(AuditDataDirectory.Encode(i)));
        }

        if (extra)
        {
            frontier.Append(new byte[MerkleHash.Size]);
        }

        return frontier.ToBytes();
    }

    private Task<CliResult> VerifyAsync(params string[] extra) =>
        WritProcess.RunAsync(_data.Directory, null, ["audit", "verify", "--data", _data.Directory, .. extra]);

    private static JsonNode Json(CliResult result) =>
        JsonNode.Parse(result.Output) ?? throw new InvalidOperationException(result.ToString());

    private static JsonNode AssertFault(CliResult result, string kind, long sequence)
    {
        Assert.True(result.ExitCode == AuditVerifyCommand.VerificationFailed, result.ToString());
        var json = Json(result);
        Assert.False((bool)json["verified"]!);
        Assert.Equal((kind, sequence), ((string)json["fault"]!["kind"]!, (long)json["fault"]!["sequence"]!));
        return json;
    }
}
