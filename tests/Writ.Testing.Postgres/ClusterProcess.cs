using System.Diagnostics;

namespace Writ.Testing.Postgres;

/// <summary>
/// Runs PostgreSQL's programs. initdb and postgres refuse to run as root, and test machines often
/// run as root: then every program runs as an unprivileged user through <c>runuser</c>.
/// </summary>
internal sealed class ClusterProcess
{
    /// <summary>Environment variable naming the unprivileged user when the tests run as root (default <c>postgres</c>).</summary>
    public const string UserVariable = "WRIT_TEST_PG_USER";

    private readonly string? _runAs;

    private ClusterProcess(string? runAs) => _runAs = runAs;

    /// <summary>The user the cluster runs as when the tests run as root; null otherwise.</summary>
    public string? RunAs => _runAs;

    public static async Task<ClusterProcess> CreateAsync(CancellationToken cancellationToken)
    {
        var uid = (await RunRawAsync("id", ["-u"], null, cancellationToken)).Output.Trim();
        if (uid != "0")
        {
            return new ClusterProcess(null);
        }

        var user = Environment.GetEnvironmentVariable(UserVariable);
        user = string.IsNullOrWhiteSpace(user) ? "postgres" : user;
        var check = await RunRawAsync("id", ["-u", user], null, cancellationToken);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The tests run as root, and initdb refuses root, so the test cluster runs as the unprivileged user '{user}', " +
                $"which does not exist. Install the Debian package 'postgresql' (it creates the user 'postgres'), create the user, " +
                $"or set {UserVariable} to an existing unprivileged user.");
        }

        return new ClusterProcess(user);
    }

    /// <summary>Makes <paramref name="directory"/> (and everything in it) belong to the cluster's user.</summary>
    public async Task TakeOwnershipAsync(string directory, CancellationToken cancellationToken)
    {
        if (_runAs is null)
        {
            return;
        }

        var result = await RunRawAsync("chown", ["-R", _runAs, directory], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {_runAs} {directory} failed: {result.Output}");
        }
    }

    /// <summary>Runs <paramref name="program"/> as the cluster's user and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken) =>
        _runAs is null
            ? RunRawAsync(program, arguments, workingDirectory, cancellationToken)
            : RunRawAsync("runuser", ["-u", _runAs, "--", program, .. arguments], workingDirectory, cancellationToken);

    /// <summary>The same as <see cref="RunAsync"/>, for process-exit handlers that cannot await.</summary>
    public void RunBlocking(string program, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var info = StartInfo(_runAs is null ? program : "runuser", _runAs is null ? arguments : ["-u", _runAs, "--", program, .. arguments], workingDirectory);
        using var process = Process.Start(info);
        process?.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private static async Task<(int ExitCode, string Output)> RunRawAsync(string program, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(program, arguments, workingDirectory))
            ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = string.Concat(await stdout, await stderr);
        return (process.ExitCode, output);
    }

    private static ProcessStartInfo StartInfo(string program, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Messages in English whatever the machine's locale, so failures read the same everywhere.
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANG"] = "C";
        return info;
    }
}
