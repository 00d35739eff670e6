using System.Diagnostics;

namespace Writ.Storage.Postgres;

/// <summary>
/// Where this machine's PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>) are, for a
/// <see cref="ThrowawayCluster"/> (<c>writ demo</c>, the tests). Each caller adds its own override variable and install hint.
/// </summary>
public static class PostgresServerPrograms
{
    /// <summary>Whether <paramref name="directory"/> holds <c>initdb</c> and <c>pg_ctl</c>.</summary>
    public static bool AreIn(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    /// <summary>
    /// The directory holding them: <c>pg_config --bindir</c>, else the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>,
    /// else the first directory on the <c>PATH</c>; null when none does.
    /// </summary>
    public static string? Find()
    {
        // pg_config can come from the client development package alone: it counts only when the server programs are there.
        if (PgConfigBinDirectory() is { } fromPgConfig && AreIn(fromPgConfig))
        {
            return fromPgConfig;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(c => AreIn(c.Directory))
                .OrderByDescending(c => c.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return newest.Directory;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(AreIn);
    }

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
