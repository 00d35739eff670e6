using System.CommandLine;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

public sealed class GrammarTests
{
    public static TheoryData<string> Commands =>
    [
        "dev", "server",
        "owner add", "owner list", "owner show",
        "agent register", "agent list", "agent show", "agent suspend", "agent resume", "agent retire",
        "agent-key add", "agent-key list", "agent-key remove",
        "join-token create",
        "issuer add", "issuer list", "issuer remove",
        "client add", "client list", "client remove",
        "admin-token create", "admin-token list", "admin-token revoke",
        "key list", "key rotate",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_IsNounThenVerb(string path)
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));
        var result = root.Parse([.. path.Split(' '), "--help"]);

        var names = new List<string>();
        for (var command = result.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
        {
            names.Insert(0, command.Command.Name);
        }

        Assert.Equal(path.Split(' '), names);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommand_AcceptsJson(string path)
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));
        var result = root.Parse([.. path.Split(' '), "--json"]);

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("--json", StringComparison.Ordinal));
        Assert.True(result.GetValue<bool>("--json"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_HelpShowsExamples(string path)
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync([.. path.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:", result.Output, StringComparison.Ordinal);
        Assert.Contains("writ " + path, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminNouns_HaveServerAndTokenOptions()
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));
        foreach (var noun in root.Subcommands.Where(c => c.Name is not ("dev" or "server" or "gateway" or "cedar" or "completion")))
        {
            Assert.Contains(noun.Options, o => o.Name == "--server");
            Assert.Contains(noun.Options, o => o.Name == "--token");
        }
    }

    [Fact]
    public async Task RootHelp_ListsNounsAndExamples()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var noun in new[] { "dev", "server", "owner", "agent", "join-token", "issuer", "client", "admin-token", "key" })
        {
            Assert.Contains("  " + noun + " ", result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("writ join-token create research --json", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenHelp_MentionsDevTokenFileFallback()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("owner", "list", "--help");

        Assert.Contains("./.writ/admin-token", result.Output, StringComparison.Ordinal);
        Assert.Contains("WRIT_TOKEN", result.Output, StringComparison.Ordinal);
        Assert.Contains("WRIT_SERVER", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("owner", "frobnicate")]
    [InlineData("owners", "list")]
    [InlineData("owner")]
    [InlineData("agent", "register", "research")]
    [InlineData("agent", "show")]
    [InlineData("client", "add", "gw", "--auth-method", "password")]
    [InlineData("client", "add", "gw", "--auth-method", "private_key_jwt")]
    [InlineData("issuer", "add", "k8s", "--issuer", "https://k8s", "--audience", "writ", "--rule", "a:sub=x")]
    [InlineData("issuer", "add", "k8s", "--issuer", "https://k8s", "--audience", "writ", "--jwks-uri", "https://k8s/jwks")]
    public async Task UsageError_ExitsWith2(params string[] args)
    {
        using var cli = new InProcessCli();
        // A token and an unused port: a usage error must stop the command before it tries to connect (exit 3).
        var result = await cli.RunAsync([.. args, "--token", "t", "--server", "http://127.0.0.1:" + Ports.Free()]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public void ArgumentStartingWithDash_IsAcceptedAfterSeparator()
    {
        using var cli = new InProcessCli();
        var root = WritCli.Build(cli.Context(new StringWriter(), new StringWriter()));

        var result = root.Parse(["agent-key", "remove", "research", "--", "-Yt0m6o8bYxLrVw4"]);

        Assert.Empty(result.Errors);
        Assert.Equal("-Yt0m6o8bYxLrVw4", result.GetValue<string>("kid"));
    }
}
