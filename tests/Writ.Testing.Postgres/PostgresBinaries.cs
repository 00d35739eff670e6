using Writ.Storage.Postgres;

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

    /// <summary>The directory holding <c>initdb</c> and <c>pg_ctl</c>: <see cref="DirectoryVariable"/>, else what <see cref="PostgresServerPrograms.Find"/> finds.</summary>
    /// <exception cref="InvalidOperationException">Not installed; the message says what to install.</exception>
    public static string FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return PostgresServerPrograms.AreIn(configured)
                ? configured
                : throw new InvalidOperationException($"{DirectoryVariable}={configured} does not hold initdb and pg_ctl. {InstallHint}");
        }

        return PostgresServerPrograms.Find() ?? throw new InvalidOperationException(InstallHint);
    }
}
