using Writ.Storage.Postgres;

namespace Writ.Cli.Demo;

// The demo's side of its throwaway PostgreSQL (Writ.Storage.Postgres.ThrowawayCluster): where the server programs
// (initdb, pg_ctl) are, the user it runs as under root, and its superuser.
internal static class PostgresPrograms
{
    public const string DirectoryVariable = "WRIT_DEMO_PG_BINDIR";

    public const string UserVariable = "WRIT_DEMO_PG_USER";

    public const string Superuser = "writ_demo_admin";

    public const string InstallHint =
        "PostgreSQL's server programs (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: `sudo apt-get install postgresql`; " +
        "macOS: `brew install postgresql`), or set " + DirectoryVariable + " to the directory that holds them, and run `writ demo` again";

    // WRIT_DEMO_PG_BINDIR, else what PostgresServerPrograms finds on this machine.
    public static string FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return PostgresServerPrograms.AreIn(configured)
                ? configured
                : throw new DemoException($"{DirectoryVariable}={configured} does not hold initdb and pg_ctl. {InstallHint}");
        }

        return PostgresServerPrograms.Find() ?? throw new DemoException(InstallHint);
    }
}
