using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>A real `writ` process (the built writ.dll): a gateway in front of one MCP server, or a whole `writ dev`.</summary>
internal sealed class WritProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WritProcess(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>`writ dev` on a free loopback port with its data in <paramref name="data"/>.</summary>
    public static async Task<WritProcess> DevAsync(string data)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        return await StartAsync(["dev", "--urls", url.AbsoluteUri.TrimEnd('/'), "--data", data], url, new Uri(url, "/readyz"));
    }

    /// <summary>`writ gateway` in front of <paramref name="mcpServer"/>, sharing the world's SQLite store.</summary>
    public static async Task<WritProcess> GatewayAsync(SdkWorld world, Uri mcpServer)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var config = Path.Combine(world.DataDirectory, "gateway.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "writ": { "issuer": "{{world.Issuer}}", "trustDomain": "{{world.TrustDomain}}", "token": "{{world.AdminToken}}" },
              "audience": "{{SdkWorld.Gateway}}",
              "urls": ["{{url.AbsoluteUri.TrimEnd('/')}}"],
              "storage": { "provider": "sqlite", "dataDirectory": "{{world.DataDirectory}}" },
              "routes": [
                { "path": "/mcp/github", "kind": "mcp", "url": "{{mcpServer.AbsoluteUri}}", "toolset": "github",
                  "target": { "argument": "repository", "prefix": "repo:" } }
              ]
            }
            """, TestContext.Current.CancellationToken);
        return await StartAsync(["gateway", "--config", config], url, new Uri(url, "/.well-known/oauth-protected-resource/mcp/github"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
    }

    private static async Task<WritProcess> StartAsync(string[] arguments, Uri url, Uri ready)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "writ.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start writ " + arguments[0]);
        var writ = new WritProcess(process, url);
        process.OutputDataReceived += (_, e) => writ.Append(e.Data);
        process.ErrorDataReceived += (_, e) => writ.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await writ.WaitReadyAsync(ready, arguments[0]);
        return writ;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    // Polls until the process answers; a bound so one that never starts fails the test, not a timing assertion.
    private async Task WaitReadyAsync(Uri ready, string what)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(ready, TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        throw new InvalidOperationException($"writ {what} did not start:\n" + text);
    }
}
