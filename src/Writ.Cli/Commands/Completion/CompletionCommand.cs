using System.CommandLine;

namespace Writ.Cli.Commands.Completion;

// `writ completion bash|zsh|fish|pwsh`: prints a script that makes the shell ask `writ` itself what comes next,
// through System.CommandLine's [suggest:<position>] directive, so completions never drift from the command tree.
internal static class CompletionCommand
{
    public static Command Create(RootCommand root)
    {
        ValueCompletions.Install(root);

        var shell = new Argument<string>("shell") { Description = "Shell to print the completion script for: " + string.Join(", ", CompletionScripts.Shells) };
        shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        var command = new WritCommand("completion", "Print a shell completion script for nouns, verbs, options and option values.",
            "source <(writ completion bash)               # in ~/.bashrc",
            "source <(writ completion zsh)                # in ~/.zshrc, after compinit",
            "writ completion fish > ~/.config/fish/completions/writ.fish",
            "writ completion pwsh | Out-String | Invoke-Expression   # in $PROFILE")
        {
            shell,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(CompletionScripts.For(parseResult.GetRequiredValue(shell)));
            output.Flush();
            return ExitCodes.Ok;
        });
        return command;
    }
}
