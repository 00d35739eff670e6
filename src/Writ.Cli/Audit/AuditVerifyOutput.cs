using System.Globalization;
using System.Text.Json.Nodes;
using Writ.Cli.Output;
using Writ.Core.Audit;

namespace Writ.Cli.Audit;

// The result of `writ audit verify`: one sentence and the details, or one JSON object.
internal static class AuditVerifyOutput
{
    public static void Write(CliContext context, bool json, AuditStoreVerification verification)
    {
        var output = new CommandOutput(context, json);
        var result = verification.Result;
        if (json)
        {
            output.WriteJson(ToJson(verification));
            return;
        }

        if (result.Fault is { } fault)
        {
            var where = fault.UpTo is long upTo ? $"sequence {fault.Sequence} (somewhere in {fault.Sequence} to {upTo - 1})" : $"sequence {fault.Sequence}";
            output.WriteLine($"Audit log FAILED verification at {where}: {KindName(fault.Kind)}.");
            output.WriteLine(fault.Message + ".");
        }
        else
        {
            output.WriteLine($"Audit log verified: {result.TreeSize.ToString("N0", CultureInfo.InvariantCulture)} records, every checkpoint signed and consistent.");
        }

        output.WriteDetails(
        [
            ("Records checked", result.RecordsChecked.ToString(CultureInfo.InvariantCulture)),
            ("Pruned before", result.PrunedBefore.ToString(CultureInfo.InvariantCulture)),
            ("Tree size", result.TreeSize.ToString(CultureInfo.InvariantCulture) + (result.Verified ? string.Empty : " (verified up to here)")),
            ("Root hash", Convert.ToBase64String(result.RootHash)),
            ("Checkpoints matched", result.CheckpointsMatched.ToString(CultureInfo.InvariantCulture)),
            ("Signature only (pruned)", result.CheckpointsSignatureOnly.ToString(CultureInfo.InvariantCulture)),
            ("Latest checkpoint", result.LatestCheckpointSize?.ToString(CultureInfo.InvariantCulture) ?? "none"),
            ("Not yet signed", result.UnsignedRecords.ToString(CultureInfo.InvariantCulture)),
            ("Key", verification.Key is null ? "none" : verification.Key + (verification.KeyFromStore ? " (from the store; pass --key to pin the published key)" : " (--key)")),
        ]);
    }

    public static string KindName(AuditFaultKind kind) => kind switch
    {
        AuditFaultKind.Edited => "edited",
        AuditFaultKind.Deleted => "deleted",
        AuditFaultKind.Reordered => "reordered",
        AuditFaultKind.Inserted => "inserted",
        AuditFaultKind.Truncated => "truncated",
        AuditFaultKind.CheckpointInvalid => "checkpoint-invalid",
        AuditFaultKind.CheckpointsInconsistent => "checkpoints-inconsistent",
        AuditFaultKind.PrunedFrontierInvalid => "pruned-frontier-invalid",
        AuditFaultKind.KeyMismatch => "key-mismatch",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static JsonObject ToJson(AuditStoreVerification verification)
    {
        var result = verification.Result;
        return new JsonObject
        {
            ["verified"] = result.Verified,
            ["fault"] = result.Fault is { } fault
                ? new JsonObject
                {
                    ["kind"] = KindName(fault.Kind),
                    ["sequence"] = fault.Sequence,
                    ["upTo"] = fault.UpTo,
                    ["message"] = fault.Message,
                }
                : null,
            ["recordsChecked"] = result.RecordsChecked,
            ["prunedBefore"] = result.PrunedBefore,
            ["treeSize"] = result.TreeSize,
            ["headTreeSize"] = verification.HeadTreeSize,
            ["rootHash"] = Convert.ToBase64String(result.RootHash),
            ["checkpointsMatched"] = result.CheckpointsMatched,
            ["checkpointsSignatureOnly"] = result.CheckpointsSignatureOnly,
            ["latestCheckpointSize"] = result.LatestCheckpointSize,
            ["unsignedRecords"] = result.UnsignedRecords,
            ["key"] = verification.Key?.ToString(),
            ["keyFromStore"] = verification.KeyFromStore,
            ["latestCheckpoint"] = verification.LatestCheckpoint,
        };
    }
}
