using System.CommandLine;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// Runs admin verbs: resolves the connection, calls the action, and turns every failure into one stderr line and an exit code.
internal sealed class AdminCommandRunner(CliContext context, GlobalOptions globals)
{
    public CliContext Context { get; } = context;

    public void AddConnectionOptions(Command noun) => globals.AddConnectionOptions(noun);

    public void SetAction(Command verb, string noun, Func<AdminInvocation, CancellationToken, Task> action)
    {
        verb.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = new CommandOutput(Context, parseResult.GetValue(globals.Json));
            AdminConnection? connection = null;
            try
            {
                connection = AdminConnection.Resolve(parseResult.GetValue(globals.Server), parseResult.GetValue(globals.Token), Context);
                if (connection.SendsTokenInClearText)
                {
                    WriteError($"warning: the admin token goes to {connection.Server.Host} over plain HTTP; use https:// beyond this machine.");
                }

                using var api = new AdminApiClient(connection.Server, connection.Token);
                await action(new AdminInvocation(parseResult, api, output), cancellationToken);
                return ExitCodes.Ok;
            }
            catch (CliException e)
            {
                WriteError("error: " + e.Message);
                return e.ExitCode;
            }
            catch (AdminApiException e) when (connection is not null)
            {
                var hint = ProblemHints.For(e.Problem, connection, noun, CommandPath(parseResult));
                WriteError($"error: {e.Problem.Describe()}." + (hint.Length == 0 ? string.Empty : " " + hint));
                return ExitCodes.Error;
            }
            catch (ServerUnreachableException e) when (connection is not null)
            {
                WriteError($"error: cannot reach Writ at {connection.Server} ({e.Message}). Start it with `writ dev`, or point --server / {GlobalOptions.ServerVariable} at a running server.");
                return ExitCodes.Unreachable;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug of the CLI still gets one line, not a stack trace.
                WriteError($"error: `writ {noun}` failed unexpectedly: {e.Message}");
                return ExitCodes.Error;
            }
        });
    }

    // "audit search" for `writ audit search ...`: what `--help` should be asked of.
    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private void WriteError(string line)
    {
        Context.Error.WriteLine(line);
        Context.Error.Flush();
    }
}
