using System.Globalization;
using System.Text.Json.Nodes;
using Writ.Cli.Audit;

namespace Writ.Cli.Demo;

// Step 7: the whole audit log verifies; a copy with one record edited does not, and says which record.
internal sealed partial class DemoScenario
{
    private async Task AuditAsync(DemoStep step)
    {
        var sequence = tamperTarget ?? throw new DemoException("not run: step 4 recorded no deny decision to tamper with");
        await WaitForCheckpointAsync(sequence);

        var live = await AuditTamper.VerifyAsync(environment.Server.DataDirectory, cancellationToken);
        if (!live.Verified)
        {
            throw new DemoException($"the live audit log did not verify: {live.Fault!.Message}");
        }

        narrator.Allowed($"audit log verified: {live.TreeSize} records recomputed into the Merkle tree, {live.CheckpointsMatched} signed checkpoints matched");
        narrator.Detail($"(the same check by hand: writ audit verify --data {environment.Server.DataDirectory})");

        var copy = Path.Combine(environment.Workspace, "tampered");
        await AuditTamper.CopyAndTamperAsync(environment.Server.DataDirectory, copy, sequence, cancellationToken);
        narrator.Detail($"a copy of the store in {copy}: record #{sequence} (the denied files.write_file) rewritten from deny to allow");
        var tampered = await AuditTamper.VerifyAsync(copy, cancellationToken);
        if (tampered.Fault is not { } fault)
        {
            throw new DemoException("the tampered copy verified: the edit went unnoticed");
        }

        narrator.Denied($"the copy FAILED verification at sequence {fault.Sequence}: {AuditVerifyOutput.KindName(fault.Kind)} ({fault.Message})");
        if (fault.Sequence != sequence)
        {
            throw new DemoException($"verification of the copy pointed at record {fault.Sequence}, not at the edited record {sequence}");
        }

        step.Summary = string.Create(CultureInfo.InvariantCulture, $"{live.TreeSize} records verified; the copy with #{sequence} edited failed at #{fault.Sequence} ({AuditVerifyOutput.KindName(fault.Kind)})");
        step.Facts["verified"] = true;
        step.Facts["treeSize"] = live.TreeSize;
        step.Facts["checkpointsMatched"] = live.CheckpointsMatched;
        step.Facts["tampered"] = new JsonObject
        {
            ["directory"] = copy,
            ["editedSequence"] = sequence,
            ["verified"] = false,
            ["faultSequence"] = fault.Sequence,
            ["faultKind"] = AuditVerifyOutput.KindName(fault.Kind),
        };
    }

    // The edited record must lie under a signed checkpoint for the demo to mean something; checkpoints
    // are signed at least every second while records arrive.
    private async Task WaitForCheckpointAsync(long sequence)
    {
        for (var attempt = 0; ; attempt++)
        {
            var latest = await api.GetAsync("audit/checkpoints/latest", cancellationToken);
            if (latest?["treeSize"]?.GetValue<long>() > sequence)
            {
                return;
            }

            if (attempt == 100)
            {
                throw new DemoException($"no signed checkpoint covers audit record {sequence} after 20 s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
