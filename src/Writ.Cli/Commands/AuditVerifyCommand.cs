using System.CommandLine;
using Writ.Cli.Audit;
using Writ.Core.Audit;

namespace Writ.Cli.Commands;

// `writ audit verify`: recomputes the audit log's Merkle tree straight from the store and checks
// every checkpoint, without a running server.
internal static class AuditVerifyCommand
{
    public const int VerificationFailed = ExitCodes.VerificationFailed;

    public static Command Create(CliContext context)
    {
        var data = new Option<string?>("--data") { Description = $"Data directory of the SQLite store [env: {AuditStorageFlags.DataVariable}] [default: ./.writ]", HelpName = "dir" };
        var storage = new Option<string?>("--storage") { Description = $"Storage provider: sqlite or postgres [env: {AuditStorageFlags.ProviderVariable}] [default: sqlite]", HelpName = "provider" };
        var connection = new Option<string?>("--connection") { Description = $"PostgreSQL connection string; visible to other users in ps, prefer {AuditStorageFlags.ConnectionVariable} [env: {AuditStorageFlags.ConnectionVariable}]", HelpName = "connection-string" };
        var key = new Option<string?>("--key") { Description = "The published audit verifier key (<name>+<id>+<key>); without it the key stored in the database is trusted", HelpName = "verifier-key" };
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "A signed checkpoint kept elsewhere (file), checked like the stored ones; repeatable", HelpName = "file", AllowMultipleArgumentsPerToken = false };
        var command = new WritCommand("verify", $"Recompute the audit log's Merkle tree from the store and check every signed checkpoint. Exit 0 when it verifies, {VerificationFailed} with the first bad sequence number when it does not.",
            "writ audit verify --data ./.writ",
            "writ audit verify --storage postgres --key \"writ.example/audit+1a2b3c4d+AXk...\" --json")
        {
            data,
            storage,
            connection,
            key,
            checkpoints,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue<bool>("--json");
            try
            {
                var trusted = ParseKey(parseResult.GetValue(key));
                var extra = ReadCheckpoints(context, parseResult.GetValue(checkpoints) ?? []);
                var flags = new AuditStorageFlags(parseResult.GetValue(data), parseResult.GetValue(storage), parseResult.GetValue(connection));
                await using var store = await flags.OpenAsync(context, cancellationToken);
                var head = await store.Audit.GetHeadAsync(cancellationToken);
                var verification = await VerifyProgress.RunAsync(
                    context,
                    show: !json,
                    head.TreeSize - head.PrunedBefore,
                    progress => AuditStoreVerifier.VerifyAsync(store.Audit, trusted, extra, progress, cancellationToken));
                AuditVerifyOutput.Write(context, json, verification);
                return verification.Result.Verified ? ExitCodes.Ok : VerificationFailed;
            }
            catch (CliException e)
            {
                context.Error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store that cannot be read is "could not check", never "verified".
                context.Error.WriteLine($"error: cannot read the audit log: {e.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    private static AuditVerifierKey? ParseKey(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return AuditVerifierKey.Parse(text.Trim());
        }
        catch (AuditKeyException e)
        {
            throw new CliException($"--key is not an audit verifier key: {e.Message}. It looks like writ.example/audit+1a2b3c4d+AX..., as `writ audit verify --json` prints under \"key\".", ExitCodes.Usage);
        }
    }

    private static List<string> ReadCheckpoints(CliContext context, string[] files)
    {
        var notes = new List<string>();
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file, context.WorkingDirectory);
            try
            {
                notes.Add(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read the checkpoint file {path}: {e.Message}", ExitCodes.Usage);
            }
        }

        return notes;
    }
}
