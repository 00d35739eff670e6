using System.Diagnostics;
using System.Reflection;

namespace Writ.Cli.Tests.EndToEnd;

// Runs the Node scripts of tests/e2e-js, installing their one dependency (jose) from the lock file when missing.
internal static class NodeScripts
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool installed;

    public static string Directory { get; } =
        typeof(NodeScripts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "E2eJsDirectory").Value!;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, IEnumerable<string> args, string? stdin)
    {
        await EnsureInstalledAsync();
        return await RunProcessAsync("node", [script, .. args], stdin);
    }

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

            var (exitCode, stdout, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], null);
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, string? stdin)
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

        // A bound so a hung child fails the test instead of the run; not a timing assertion.
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
