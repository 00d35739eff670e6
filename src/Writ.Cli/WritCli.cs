using System.CommandLine;
using System.CommandLine.Invocation;
using Writ.Cli.Cedar;
using Writ.Cli.Commands;
using Writ.Cli.Commands.Completion;
using Writ.Cli.Demo;
using Writ.Cli.Hosting;

namespace Writ.Cli;

// The `writ` command tree: `writ <noun> <verb>`, singular nouns.
internal static class WritCli
{
    private static readonly string[] RootExamples =
    [
        "writ dev",
        "writ owner add alice",
        "writ agent register research --owner alice",
        "writ join-token create research --json",
        "writ agent list --server https://writ.acme.test:7600 --token $WRIT_TOKEN",
    ];

    public static RootCommand Build(CliContext context)
    {
        var globals = new GlobalOptions();
        var runner = new AdminCommandRunner(context, globals);
        var root = new RootCommand("Writ: identity control plane for AI agents.")
        {
            globals.Json,
        };
        root.Subcommands.Add(DevCommand.Create(context, globals));
        root.Subcommands.Add(ServerCommand.Create(context, globals));
        root.Subcommands.Add(GatewayCommand.Create(context));
        root.Subcommands.Add(OwnerCommands.Create(runner));
        root.Subcommands.Add(AgentCommands.Create(runner));
        root.Subcommands.Add(AgentKeyCommands.Create(runner));
        root.Subcommands.Add(JoinTokenCommands.Create(runner));
        root.Subcommands.Add(IssuerCommands.Create(runner));
        root.Subcommands.Add(ClientCommands.Create(runner));
        root.Subcommands.Add(AdminTokenCommands.Create(runner));
        root.Subcommands.Add(KeyCommands.Create(runner));
        root.Subcommands.Add(PolicyCommands.Create(runner));
        root.Subcommands.Add(TaskCommands.Create(runner));
        root.Subcommands.Add(AuditCommands.Create(runner));
        root.Subcommands.Add(ConnectionCommands.Create(runner));
        root.Subcommands.Add(LeaseCommands.Create(runner));
        root.Subcommands.Add(RevokeCommands.Create(runner));
        root.Subcommands.Add(DemoCommand.Create(context, globals));

        var cedar = CedarCommands.Create(context);
        if (cedar.Subcommands.Count > 0)
        {
            root.Subcommands.Add(cedar);
        }

        root.Subcommands.Add(CompletionCommand.Create(root));

        ExamplesHelpAction.Install(root, RootExamples);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var parseResult = Build(context).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,

            // `writ dev` and `writ server` leave Ctrl+C and SIGTERM to the web host, which stops gracefully.
            ProcessTerminationTimeout = null,
        };
        var exitCode = await parseResult.InvokeAsync(configuration);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : exitCode;
    }
}
