using System.CommandLine;
using System.Runtime.InteropServices;
using Writ.Cli.Api;
using Writ.Cli.Commands;

namespace Writ.Cli.Demo;

// `writ demo`: the whole idea of Writ in one narrated run, against a local Writ (started when none answers).
internal static class DemoCommand
{
    // Distinct from "could not run" (1): the demo ran, and a step did not behave as Writ promises.
    public const int StepFailed = 5;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var data = new Option<string?>("--data") { Description = "Data directory of the Writ server: of the running one at --server, or where the started `writ dev` keeps it [default: ./.writ when a server answers, else a temporary directory]", HelpName = "dir" };
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's files (fixtures, gateway configuration, the tampered audit copy, and its `writ dev` data) and print where they are" };
        var command = new WritCommand("demo", "Run the end-to-end scenario: agents, a task, calls through the gateway to a real MCP server, a prompt injection denied, delegation, a database credential that dies with its task, and the audit log verified. Starts `writ dev`, `writ gateway` and a throwaway PostgreSQL as needed; local data only.",
            "writ demo",
            "writ demo --json",
            "writ demo --server http://127.0.0.1:7600 --data ./.writ")
        {
            globals.Server,
            globals.Token,
            data,
            keep,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(globals.Json);
            try
            {
                var options = new DemoOptions(
                    AdminConnection.ResolveServer(parseResult.GetValue(globals.Server), context),
                    parseResult.GetValue(globals.Token),
                    parseResult.GetValue(data),
                    parseResult.GetValue(keep),
                    json);
                return await RunAsync(options, context, cancellationToken);
            }
            catch (CliException e)
            {
                context.Error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(DemoOptions options, CliContext context, CancellationToken cancellationToken)
    {
        // Ctrl+C and SIGTERM end the run through cancellation, so the processes the demo started are stopped too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var narrator = new DemoNarrator(context, options.Json);
        narrator.Say("Writ demo: an agent's task from attestation to audit, on this machine only.");
        try
        {
            // Checked before anything starts: without node (and npm, for the first install) there is no MCP server to call.
            var filesystemServer = await FilesystemServerPackage.EnsureInstalledAsync(narrator.Say, stop.Token);
            await using var environment = await DemoEnvironment.CreateAsync(options, context, narrator, stop.Token);
            var document = await DemoScenario.RunAsync(environment, narrator, filesystemServer, stop.Token);
            narrator.WriteSummary(document);
            if (options.Keep)
            {
                narrator.Say($"Kept: {environment.Workspace}" + (environment.Server.Started ? $" (Writ data: {environment.Server.DataDirectory})" : string.Empty));
            }

            return narrator.AllPassed ? ExitCodes.Ok : StepFailed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            context.Error.WriteLine("The demo was interrupted; the processes it started were stopped.");
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is DemoException or CliException or AdminApiException or ServerUnreachableException)
        {
            context.Error.WriteLine("error: the demo could not run: " + (e is AdminApiException api ? api.Problem.Describe() : e.Message));
            return e is CliException cli ? cli.ExitCode : ExitCodes.Error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug of the demo still gets one line, not a stack trace; what it started is stopped by then.
            context.Error.WriteLine($"error: the demo failed unexpectedly: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Error;
        }

        void Cancel(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }
}
