using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cedar.Formatting;
using Writ.Cedar.Parsing;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar format`: prints policies as canonical Cedar text, rewrites the file with --write, or with --check
// only tells (exit 1) whether the file differs from its canonical form.
internal static class FormatCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var policies = new Option<string?>("--policies", "-p")
        {
            Description = "File with the Cedar policies; standard input when absent or -",
            HelpName = "file",
        };
        var write = new Option<bool>("--write", "-w") { Description = "Rewrite the --policies file in canonical form" };
        var check = new Option<bool>("--check", "-c") { Description = "Print nothing; exit 1 when the policies are not in canonical form" };
        var command = new WritCommand(
            "format",
            "Print policies as canonical Cedar text. The formatter keeps annotations but not comments, so --write refuses files with comments.",
            "writ cedar format --policies policies.cedar",
            "writ cedar format --policies policies.cedar --check",
            "writ cedar format --policies policies.cedar --write");
        command.Options.Add(policies);
        command.Options.Add(write);
        command.Options.Add(check);
        io.SetAction(command, invocation =>
        {
            var path = invocation.Get(policies);
            if (invocation.Get(write) && invocation.Get(check))
            {
                throw new CedarInputException("--write and --check exclude each other");
            }

            if (invocation.Get(write) && path is null or "-")
            {
                throw new CedarInputException("--write needs --policies <file>");
            }

            var source = invocation.Io.Read(path, "policies");
            string formatted;
            try
            {
                formatted = PolicyFormatter.Format(PolicyParser.ParsePolicies(source.Text));
            }
            catch (CedarParseException e)
            {
                throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
            }

            var changed = !string.Equals(formatted, source.Text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
            var hasComments = CedarComments.Contains(source.Text);
            if (invocation.Get(check))
            {
                if (changed)
                {
                    invocation.Io.WriteError($"{source.Name}: not in canonical form (writ cedar format --policies {source.Name} --write)");
                }

                return changed ? CedarExitCodes.Failure : CedarExitCodes.Ok;
            }

            if (invocation.Get(write))
            {
                return Rewrite(invocation, source, path!, formatted, changed, hasComments);
            }

            if (hasComments)
            {
                invocation.Io.WriteError($"warning: {source.Name} has comments; the formatted text does not keep them");
            }

            if (invocation.Output.Json)
            {
                invocation.Output.WriteJson(new JsonObject { ["formatted"] = formatted, ["changed"] = changed });
            }
            else if (formatted.Length > 0)
            {
                invocation.Output.WriteLine(formatted.TrimEnd('\n'));
            }

            return CedarExitCodes.Ok;
        });
        return command;
    }

    private static int Rewrite(CedarInvocation invocation, CedarSource source, string path, string formatted, bool changed, bool hasComments)
    {
        if (changed)
        {
            if (hasComments)
            {
                throw new CedarInputException($"{source.Name} has comments, which formatting would delete; move them into annotations such as @doc(\"...\") or format to standard output");
            }

            try
            {
                File.WriteAllText(invocation.Io.FullPath(path), formatted);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CedarInputException($"cannot write {source.Name}: {e.Message}", e);
            }
        }

        if (invocation.Output.Json)
        {
            invocation.Output.WriteJson(new JsonObject { ["file"] = source.Name, ["changed"] = changed });
        }
        else
        {
            invocation.Output.WriteLine(changed ? $"formatted {source.Name}" : $"{source.Name} is already formatted");
        }

        return CedarExitCodes.Ok;
    }
}
