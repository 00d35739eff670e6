using System.Net;
using System.Net.Sockets;
using System.Text;
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

    // A misconfigured proxy in front of Writ is a fault that cannot be caused with Writ itself, so a
    // minimal loopback responder plays it: it answers every request with a redirect.
    [Fact]
    public async Task RedirectingServer_IsNotFollowed_Exits1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var responder = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
                if (read == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var response = Encoding.ASCII.GetBytes("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(response, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        using var cli = new InProcessCli();
        var result = await cli.RunAsync("owner", "list", "--server", $"http://127.0.0.1:{port}", "--token", "t");
        await responder;

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        Assert.Contains("redirected", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }
}
