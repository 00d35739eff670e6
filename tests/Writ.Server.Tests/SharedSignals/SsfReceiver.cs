using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Writ.Server.Tests.SharedSignals;

/// <summary>Runs tests/ssf-receiver/receiver.mjs (jose, no Writ code) and reads the SETs it verified, one JSON line each.</summary>
internal sealed class SsfReceiver : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process _process;
    private readonly Channel<JsonObject> _lines = Channel.CreateUnbounded<JsonObject>();
    private readonly Task _reading;
    private readonly Task<string> _stderr;

    private SsfReceiver(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _reading = ReadAsync();
    }

    public static string Directory { get; } = FindDirectory();

    public static async Task<SsfReceiver> StartAsync(params string[] args)
    {
        await EnsureInstalledAsync();
        var info = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("receiver.mjs");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new SsfReceiver(Process.Start(info) ?? throw new InvalidOperationException("could not start node"));
    }

    /// <summary>Sends one line to the receiver (the audience, for <c>--audience -</c>).</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next line the receiver printed; fails with what it wrote to stderr if it ended instead.</summary>
    public async Task<JsonObject> NextAsync()
    {
        // A bound so a silent receiver fails the test instead of hanging the run; not a timing assertion.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            return await _lines.Reader.ReadAsync(bound.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the receiver ended: " + await _stderr);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("the receiver printed nothing more");
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await _reading;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        await _reading;
        _process.Dispose();
    }

    private static string FindDirectory([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "ssf-receiver"));

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "jose")))
            {
                return;
            }

            var info = new ProcessStartInfo("npm") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                info.ArgumentList.Add(arg);
            }

            using var npm = Process.Start(info)!;
            var output = await npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci in " + Directory + " failed: " + output);
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (JsonNode.Parse(line) is JsonObject json)
            {
                await _lines.Writer.WriteAsync(json);
            }
        }

        _lines.Writer.Complete();
    }
}
