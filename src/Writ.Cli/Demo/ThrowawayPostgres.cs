using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Writ.Cli.Demo;

// A PostgreSQL cluster that lives only as long as the demo: initdb in a new temporary directory, pg_ctl on a
// free port of 127.0.0.1 (the unix socket inside that directory), password authentication, durability off.
// initdb refuses to run as root, so under root every program runs as an unprivileged user through runuser.
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string UserVariable = "WRIT_DEMO_PG_USER";
    public const string Superuser = "writ_demo_admin";

    private static readonly TimeSpan ProgramBound = TimeSpan.FromSeconds(90);

    private readonly string binDirectory;
    private readonly string? runAs;
    private int disposed;

    private ThrowawayPostgres(string binDirectory, string? runAs, string root, string password)
    {
        this.binDirectory = binDirectory;
        this.runAs = runAs;
        RootDirectory = root;
        Password = password;
    }

    public string RootDirectory { get; }

    public int Port { get; private set; }

    // The superuser's password: random, kept in memory only, handed to Writ as the connection's secret.
    public string Password { get; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string LogFile => Path.Combine(RootDirectory, "server.log");

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new DemoException("the demo's throwaway PostgreSQL runs on Linux and macOS only");
        }

        var binDirectory = PostgresPrograms.FindDirectory();
        var runAs = await UnprivilegedUserAsync(cancellationToken);
        var root = Path.Combine(Path.GetTempPath(), "writ-demo-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = new ThrowawayPostgres(binDirectory, runAs, root, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        try
        {
            await cluster.InitializeAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], CancellationToken.None);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary directory is harmless; the server itself is stopped.
            }
        }
    }

    private static async Task<string?> UnprivilegedUserAsync(CancellationToken cancellationToken)
    {
        var uid = await ChildProcess.RunAsync(new ProcessStartInfo("id", "-u"), TimeSpan.FromSeconds(10), cancellationToken);
        if (uid.Output.Trim() != "0")
        {
            return null;
        }

        var user = Environment.GetEnvironmentVariable(UserVariable);
        user = string.IsNullOrWhiteSpace(user) ? "postgres" : user.Trim();
        var exists = await ChildProcess.RunAsync(new ProcessStartInfo("id") { ArgumentList = { "-u", user } }, TimeSpan.FromSeconds(10), cancellationToken);
        return exists.ExitCode == 0
            ? user
            : throw new DemoException(
                $"the demo runs as root and initdb refuses root, so PostgreSQL would run as the unprivileged user '{user}', which does not exist. " +
                $"Install the package 'postgresql' (it creates the user 'postgres'), or set {UserVariable} to an existing unprivileged user");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(RootDirectory, "password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        if (runAs is not null)
        {
            var chown = await ChildProcess.RunAsync(new ProcessStartInfo("chown") { ArgumentList = { "-R", runAs, RootDirectory } }, ProgramBound, cancellationToken);
            if (chown.ExitCode != 0)
            {
                throw new DemoException($"chown {runAs} {RootDirectory} failed: {chown.Output.Trim()}");
            }
        }

        var init = await RunAsync(
            "initdb",
            ["-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken);
        File.Delete(passwordFile);
        if (init.ExitCode != 0)
        {
            throw new DemoException($"initdb failed (exit {init.ExitCode}): {init.Output.Trim()}");
        }

        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();

            // Appended settings override initdb's defaults (the last occurrence wins).
            await File.AppendAllTextAsync(
                Path.Combine(DataDirectory, "postgresql.conf"),
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"""

                    port = {Port}
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = '{RootDirectory}'
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    """),
                cancellationToken);
            var start = await RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60"], cancellationToken);
            if (start.ExitCode == 0)
            {
                return;
            }

            // Another process may have taken the port between probing and binding: try another.
            if (attempt == 3)
            {
                throw new DemoException($"pg_ctl start failed (exit {start.ExitCode}): {start.Output.Trim()} {ReadLog()}");
            }
        }
    }

    private Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDirectory, program);
        var info = runAs is null ? new ProcessStartInfo(path) : new ProcessStartInfo("runuser") { ArgumentList = { "-u", runAs, "--", path } };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.WorkingDirectory = RootDirectory;

        // English messages whatever the machine's locale, so an error reads the same everywhere.
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANG"] = "C";
        return ChildProcess.RunAsync(info, ProgramBound, cancellationToken);
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile).Trim() : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
