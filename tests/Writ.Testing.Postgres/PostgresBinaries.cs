using System.Diagnostics;

namespace Writ.Testing.Postgres;

/// <summary>Finds the PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>) installed on this machine.</summary>
public static class PostgresBinaries
{
    /// <summary>Environment variable that names the directory holding <c>initdb</c> and <c>pg_ctl</c>, overriding the search.</summary>
    public const string DirectoryVariable = "WRIT_TEST_PG_BINDIR";

    /// <summary>What to install when the programs are missing.</summary>
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the Debian package 'postgresql' " +
        "(apt-get install -y postgresql), or set " + DirectoryVariable + " to the directory that holds them.";

    /// <summary>
    /// The directory holding <c>initdb</c> and <c>pg_ctl</c>: <see cref="DirectoryVariable"/>, else
    /// <c>pg_config --bindir</c>, else the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not installed; the message says what to install.</exception>
    public static string FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServerPrograms(configured)
                ? configured
                : throw new InvalidOperationException($"{DirectoryVariable}={configured} does not hold initdb and pg_ctl. {InstallHint}");
        }

        // pg_config may come from the client development package alone, so its answer counts only
        // when the server programs are really there.
        if (PgConfigBinDir() is { } fromPgConfig && HasServerPrograms(fromPgConfig))
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

        throw new InvalidOperationException(InstallHint);
    }

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static string? PgConfigBinDir()
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
