using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

// Failures the CLI meets before or instead of a server answer; each gives one stderr line and its exit code.
public sealed class CommandErrorTests
{
    [Fact]
    public async Task UnreachableServer_ExitsWith3_WithOneLineHint()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("owner", "list", "--server", $"http://127.0.0.1:{Ports.Free()}", "--token", "t");

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("cannot reach Writ", result.Error, StringComparison.Ordinal);
        Assert.Contains("writ dev", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task MissingToken_ExitsWith2_BeforeAnyRequest()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("agent", "list", "--server", $"http://127.0.0.1:{Ports.Free()}");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("no admin token", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedTtl_ExitsWith2_BeforeAnyRequest()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("join-token", "create", "research", "--ttl", "soon", "--server", $"http://127.0.0.1:{Ports.Free()}", "--token", "t");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--ttl", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task DotSegmentName_IsRefused_BeforeAnyRequest(string name)
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("agent", "show", name, "--server", $"http://127.0.0.1:{Ports.Free()}", "--token", "t");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public async Task PrivateKeyGivenAsPublicKey_ExitsWith1_BeforeAnyRequest()
    {
        using var cli = new InProcessCli();
        var keyFile = Path.Combine(cli.WorkingDirectory, "key.json");
        await File.WriteAllTextAsync(keyFile, """{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}""", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("agent", "register", "research", "--owner", "alice", "--public-key", keyFile, "--server", $"http://127.0.0.1:{Ports.Free()}", "--token", "t");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        Assert.Contains("private", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedServerUrl_ExitsWith2()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("key", "list", "--server", "localhost:7600", "--token", "t");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--server", result.Error, StringComparison.Ordinal);
    }
}
