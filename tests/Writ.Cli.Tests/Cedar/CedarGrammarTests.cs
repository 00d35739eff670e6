using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Cedar;

// The `writ cedar` verbs follow the CLI's grammar: listed in help, examples in --help, --json accepted.
public sealed class CedarGrammarTests
{
    public static TheoryData<string> Verbs =>
    [
        "authorize", "evaluate", "validate", "check-parse", "format", "translate-policy", "translate-schema", "test",
    ];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task EveryVerb_HelpShowsExamples(string verb)
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync(verb, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Examples:", result.Output, StringComparison.Ordinal);
        Assert.Contains("writ cedar " + verb, result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryVerb_AcceptsJson(string verb)
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));
        var result = root.Parse(["cedar", verb, "--json"]);

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("--json", StringComparison.Ordinal));
        Assert.True(result.GetValue<bool>("--json"));
    }

    [Fact]
    public async Task CedarHelp_ListsEveryVerb()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var verb in Verbs)
        {
            Assert.Contains("  " + verb + " ", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CedarWithoutVerb_IsAUsageError()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync();

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }
}
