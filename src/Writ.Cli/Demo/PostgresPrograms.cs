using System.Diagnostics;

namespace Writ.Cli.Demo;

// Finds PostgreSQL's server programs (initdb, pg_ctl) on this machine.
internal static class PostgresPrograms
{
    public const string DirectoryVariable = "WRIT_DEMO_PG_BINDIR";

    public const string InstallHint =
        "PostgreSQL's server programs (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: `sudo apt-get install postgresql`; " +
        "macOS: `brew install postgresql`), or set " + DirectoryVariable + " to the directory that holds them, and run `writ demo` again";

    // WRIT_DEMO_PG_BINDIR, else `pg_config --bindir`, else the newest /usr/lib/postgresql/<version>/bin, else the PATH.
    public static string FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServerPrograms(configured)
                ? configured
                : throw new DemoException($"{DirectoryVariable}={configured} does not hold initdb and pg_ctl. {InstallHint}");
        }

        // pg_config can come from the client development package alone: it counts only when the server programs are there.
        if (PgConfigBinDirectory() is { } fromPgConfig && HasServerPrograms(fromPgConfig))
        {
            return fromPgConfig;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(c => HasServerPrograms(c.Directory))
                .OrderByDescending(c => c.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return newest.Directory;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasServerPrograms);
        return onPath ?? throw new DemoException(InstallHint);
    }

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static string? PgConfigBinDirectory()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not on the PATH.
            return null;
        }
    }
}
