using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Writ.Storage.Postgres;

/// <summary>
/// A PostgreSQL cluster that lives only as long as its owner (<c>writ demo</c>, a test run): <c>initdb</c> in a new
/// temporary directory, <c>pg_ctl</c> on a free port of 127.0.0.1 only (the unix socket stays inside that directory),
/// a random superuser password with SCRAM authentication, durability off because nothing in it has to survive.
/// Disposing stops it (<c>pg_ctl stop -m immediate</c>) and deletes the directory; so does the end of the process if
/// it was never disposed. <c>initdb</c> refuses to run as root, so under root every program runs as an unprivileged
/// user through <c>runuser</c>.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan ProgramBound = TimeSpan.FromSeconds(90);

    private readonly string binDirectory;
    private readonly string? runAs;
    private int disposed;

    private ThrowawayCluster(string binDirectory, string? runAs, string superuser, string rootDirectory)
    {
        this.binDirectory = binDirectory;
        this.runAs = runAs;
        Superuser = superuser;
        RootDirectory = rootDirectory;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    }

    /// <summary>The superuser <c>initdb</c> created.</summary>
    public string Superuser { get; }

    /// <summary>The superuser's password: random, kept in memory only.</summary>
    public string Password { get; }

    /// <summary>The temporary directory holding the data directory, the socket and the server log.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory (<c>PGDATA</c>).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The server log.</summary>
    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Initializes and starts a new cluster.</summary>
    /// <param name="binDirectory">Where <c>initdb</c> and <c>pg_ctl</c> are (see <see cref="PostgresServerPrograms"/>).</param>
    /// <param name="superuser">The superuser's name.</param>
    /// <param name="userVariable">The environment variable naming the unprivileged user to run as under root (default <c>postgres</c>).</param>
    /// <param name="cancellationToken">Cancels the start; the half-made cluster is removed.</param>
    /// <exception cref="PlatformNotSupportedException">On Windows.</exception>
    /// <exception cref="InvalidOperationException">The cluster could not be made or started; the message says why and what to do.</exception>
    public static async Task<ThrowawayCluster> StartAsync(string binDirectory, string superuser, string userVariable, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(binDirectory);
        ArgumentException.ThrowIfNullOrEmpty(superuser);
        ArgumentException.ThrowIfNullOrEmpty(userVariable);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the throwaway PostgreSQL cluster runs on Linux and macOS only");
        }

        var runAs = await UnprivilegedUserAsync(userVariable, cancellationToken);
        var root = Path.Combine(Path.GetTempPath(), "writ-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = new ThrowawayCluster(binDirectory, runAs, superuser, root);
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

    /// <summary>Connection settings for <paramref name="database"/> as the superuser, over TCP on 127.0.0.1.</summary>
    public NpgsqlConnectionStringBuilder ConnectionString(string database) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = Password,
        Database = database,
    };

    /// <summary>Runs one statement on <paramref name="database"/> as the superuser over an unpooled connection.</summary>
    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        var settings = ConnectionString(database);
        settings.Pooling = false;
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, committed work is kept); <see cref="StartAgainAsync"/> brings it back.</summary>
    /// <exception cref="InvalidOperationException"><c>pg_ctl</c> failed; the message holds its output and the server log.</exception>
    public Task StopAsync(CancellationToken cancellationToken) =>
        PgCtlAsync(cancellationToken, "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60");

    /// <summary>Starts the stopped server again on the same port and data directory.</summary>
    /// <exception cref="InvalidOperationException"><c>pg_ctl</c> failed; the message holds its output and the server log.</exception>
    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        PgCtlAsync(cancellationToken, "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60");

    /// <summary>Stops the server at once and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], CancellationToken.None);
            }
        }
        finally
        {
            DeleteRoot();
        }
    }

    private static async Task<string?> UnprivilegedUserAsync(string userVariable, CancellationToken cancellationToken)
    {
        if ((await RunProgramAsync(Start("id", ["-u"], null), cancellationToken)).Output.Trim() != "0")
        {
            return null;
        }

        var user = Environment.GetEnvironmentVariable(userVariable);
        user = string.IsNullOrWhiteSpace(user) ? "postgres" : user.Trim();
        return (await RunProgramAsync(Start("id", ["-u", user], null), cancellationToken)).ExitCode == 0
            ? user
            : throw new InvalidOperationException(
                $"this runs as root and initdb refuses root, so PostgreSQL would run as the unprivileged user '{user}', which does not exist. " +
                $"Install the package 'postgresql' (it creates the user 'postgres'), or set {userVariable} to an existing unprivileged user");
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
            var chown = await RunProgramAsync(Start("chown", ["-R", runAs, RootDirectory], RootDirectory), cancellationToken);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown {runAs} {RootDirectory} failed: {chown.Output.Trim()}");
            }
        }

        var init = await RunAsync(
            "initdb",
            ["-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken);
        File.Delete(passwordFile);
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed (exit {init.ExitCode}): {init.Output.Trim()}");
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
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
                    max_connections = 300
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
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException($"pg_ctl start failed (exit {start.ExitCode}): {start.Output.Trim()} {ReadLog()}");
            }
        }
    }

    private async Task PgCtlAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await RunAsync("pg_ctl", arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {arguments[0]} failed (exit {result.ExitCode}): {result.Output.Trim()} {ReadLog()}");
        }
    }

    // One of PostgreSQL's programs, as the unprivileged user when there is one.
    private Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunProgramAsync(ServerProgram(program, arguments), cancellationToken);

    private ProcessStartInfo ServerProgram(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(binDirectory, program);
        return runAs is null ? Start(path, arguments, RootDirectory) : Start("runuser", ["-u", runAs, "--", path, .. arguments], RootDirectory);
    }

    private static ProcessStartInfo Start(string program, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // English messages whatever the machine's locale, so an error reads the same everywhere.
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANG"] = "C";
        return info;
    }

    // Runs a program to its end within ProgramBound; its output is stdout then stderr.
    private static async Task<(int ExitCode, string Output)> RunProgramAsync(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");

        // Nothing is typed into these programs; a closed stdin keeps them from waiting for a terminal.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ProgramBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList)} did not finish within {ProgramBound.TotalSeconds:0} s");
        }

        return (process.ExitCode, string.Concat(await stdout, await stderr));
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The owner is going away without disposing the cluster (a crash, an unhandled exception): leave no server running.
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            using var process = Process.Start(ServerProgram("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate"]));
            process?.StandardInput.Close();
            process?.WaitForExit(TimeSpan.FromSeconds(30));
            DeleteRoot();
        }
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

    private void DeleteRoot()
    {
        try
        {
            if (Directory.Exists(RootDirectory))
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is harmless; the server itself is stopped.
        }
    }
}
