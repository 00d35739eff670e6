using System.Diagnostics;
using System.Text;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.EndToEnd;

// Runs the real `writ` executable (the built writ.dll) as a child process.
internal static class WritProcess
{
    // A bound on a single CLI run so a hung process fails the test instead of the whole run; not a timing assertion.
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(2);

    private static readonly string[] InheritedWritVariables = ["WRIT_TOKEN", "WRIT_SERVER", "WRIT_ADMIN_TOKEN", "WRIT_URLS", "WRIT_DATA", "WRIT_TRUST_DOMAIN", "WRIT_ISSUER", "WRIT_STORAGE__PROVIDER", "WRIT_STORAGE__CONNECTION_STRING"];

    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "writ.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The developer's own settings must not leak into the tests.
        foreach (var name in InheritedWritVariables)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args, environment))
            ?? throw new InvalidOperationException("could not start writ");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(RunBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"writ {string.Join(' ', args)} did not exit within {RunBound}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    // The dotnet host running these tests when known (set by `dotnet test`), else the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
