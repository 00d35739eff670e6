using System.Net;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Demo;

// What `writ demo` refuses before it starts anything, each with the hint that fixes it.
public sealed class DemoInputTests
{
    [Fact]
    public async Task ServerThatIsNotAUrl_IsAUsageError()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("demo", "--server", "not a url");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingAnsweringAtANonLocalHttpAddress_IsRefusedWithoutStartingWritDev()
    {
        using var cli = new InProcessCli();
        var result = await cli.RunAsync("demo", "--server", $"https://127.0.0.1:{Ports.Free()}");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("only on a local http:// address", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cli.WorkingDirectory, ".writ")));
    }

    [Fact]
    public async Task RunningServerWithoutItsDataDirectory_IsRefusedWithTheDataHint()
    {
        // Something that answers /healthz as a Writ server does; the demo must not go on without its store.
        var port = Ports.Free();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/healthz" ? 200 : 404;
                context.Response.Close();
            }
        }, TestContext.Current.CancellationToken);

        using var cli = new InProcessCli();
        var result = await cli.RunAsync("demo", "--server", $"http://127.0.0.1:{port}", "--token", "admin-token", "--data", "no-such-data");
        listener.Stop();
        await answering;

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("holds no Writ database", result.Error, StringComparison.Ordinal);
        Assert.Contains("--data", result.Error, StringComparison.Ordinal);
    }
}
