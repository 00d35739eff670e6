using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.EndToEnd;

// Verifies identity tokens with the `jose` npm package (tests/e2e-js/verify.mjs): an implementation that shares no code with Writ.
internal static class JoseVerifier
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool installed;

    public static string Directory { get; } =
        typeof(JoseVerifier).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "E2eJsDirectory").Value!;

    public sealed record Result(int ExitCode, JsonObject Output)
    {
        public JsonObject Header => (JsonObject)Output["header"]!;

        public JsonObject Payload => (JsonObject)Output["payload"]!;

        public string? Error => (string?)Output["error"];

        public override string ToString() => $"exit {ExitCode}: {Output.ToJsonString()}";
    }

    // keySource: "--jwks" or "--bundle", with the matching URL.
    public static async Task<Result> VerifyAsync(string token, string keySource, string keyUrl, string issuer, string audience)
    {
        await EnsureInstalledAsync();
        var (exitCode, stdout, stderr) = await RunAsync("node", ["verify.mjs", keySource, keyUrl, "--issuer", issuer, "--audience", audience], token);
        try
        {
            return new Result(exitCode, JsonNode.Parse(stdout) as JsonObject ?? throw new InvalidOperationException("not an object"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidOperationException($"verify.mjs printed no JSON (exit {exitCode}).\nstdout: {stdout}\nstderr: {stderr}", e);
        }
    }

    // Installs jose from the committed lock file the first time it is needed.
    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (installed || System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "jose")))
            {
                installed = true;
                return;
            }

            var (exitCode, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], null);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {Directory} failed ({exitCode}).\n{stdout}\n{stderr}");
            }

            installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, string[] args, string? stdin)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
