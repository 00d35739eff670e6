using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>A real `writ gateway` process (the built writ.dll) in front of one MCP server, sharing the world's SQLite store.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private GatewayProcess(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<GatewayProcess> StartAsync(SdkWorld world, Uri mcpServer)
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
        var info = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "writ.dll"));
        info.ArgumentList.Add("gateway");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start writ gateway");
        var gateway = new GatewayProcess(process, url);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await gateway.WaitReadyAsync();
        return gateway;
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

    // Polls until the gateway answers; a bound so a gateway that never starts fails the test, not a timing assertion.
    private async Task WaitReadyAsync()
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
                using var response = await http.GetAsync(new Uri(Url, "/.well-known/oauth-protected-resource/mcp/github"), TestContext.Current.CancellationToken);
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

        throw new InvalidOperationException("writ gateway did not start:\n" + text);
    }
}
