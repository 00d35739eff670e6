using System.CommandLine;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.CommandTree;

// Walks every command `writ` has, so a new noun or verb cannot ship without a description, examples and --json.
public sealed class CommandTreeTests
{
    // Commands that print a script or run a process rather than data; --json means nothing there.
    private static readonly HashSet<string> PrintsNoData = new(StringComparer.Ordinal) { "completion" };

    public static TheoryData<string> LeafCommands() => [.. Walk().Where(c => c.Command.Subcommands.Count == 0).Select(c => c.Path)];

    [Fact]
    public void EveryCommand_HasADescription()
    {
        var missing = Walk().Where(c => string.IsNullOrWhiteSpace(c.Command.Description)).Select(c => c.Path).ToList();

        Assert.True(missing.Count == 0, "commands without a description: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheTree_HasTheNounsOfTheBrief()
    {
        var paths = Walk().Select(c => c.Path).ToHashSet(StringComparer.Ordinal);

        foreach (var path in new[] { "dev", "server", "gateway", "owner add", "agent register", "policy apply", "policy test", "task list", "connection add", "lease list", "audit verify", "key rotate", "revoke task", "cedar validate", "completion" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Theory]
    [MemberData(nameof(LeafCommands))]
    public async Task EveryLeafCommand_HelpShowsAnExampleOfItself(string path)
    {
        using var cli = new InProcessCli();

        var result = await cli.RunAsync([.. path.Split(' '), "--help"]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var at = result.Output.IndexOf("Examples:", StringComparison.Ordinal);
        Assert.True(at >= 0, $"`writ {path} --help` has no examples");
        Assert.Contains("writ " + path, result.Output[at..], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LeafCommands))]
    public void EveryLeafCommandThatPrintsData_TakesJson(string path)
    {
        if (PrintsNoData.Contains(path.Split(' ')[0]))
        {
            return;
        }

        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));

        var result = root.Parse([.. path.Split(' '), "--json"]);

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("--json", StringComparison.Ordinal));
        Assert.True(result.GetValue<bool>("--json"), $"`writ {path}` does not take --json");
    }

    [Fact]
    public void EveryOptionAndArgument_IsDescribed()
    {
        var missing = new List<string>();
        foreach (var (path, command) in Walk())
        {
            missing.AddRange(command.Options.Where(o => !o.Hidden && string.IsNullOrWhiteSpace(o.Description)).Select(o => $"writ {path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => !a.Hidden && string.IsNullOrWhiteSpace(a.Description)).Select(a => $"writ {path} <{a.Name}>"));
        }

        Assert.True(missing.Count == 0, "undescribed: " + string.Join(", ", missing));
    }

    private static IEnumerable<(string Path, Command Command)> Walk()
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));
        var pending = new Stack<(string Path, Command Command)>(root.Subcommands.Select(c => (c.Name, c)));
        while (pending.TryPop(out var item))
        {
            yield return item;
            foreach (var sub in item.Command.Subcommands)
            {
                pending.Push(($"{item.Path} {sub.Name}", sub));
            }
        }
    }
}
