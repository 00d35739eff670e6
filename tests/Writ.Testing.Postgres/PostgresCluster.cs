using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Writ.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> in a fresh temporary directory, <c>pg_ctl</c> on a
/// free port of 127.0.0.1 (no other interface; the unix socket lives inside the directory), password
/// authentication, durability switched off because nothing in it needs to survive. Disposing stops
/// it (<c>pg_ctl stop -m immediate</c>) and deletes the directory.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string Superuser = "writ_test";
    private const int StartAttempts = 5;

    private readonly ClusterProcess _process;
    private readonly string _binDirectory;
    private readonly string _password;
    private int _disposed;

    private PostgresCluster(ClusterProcess process, string binDirectory, string rootDirectory, string password)
    {
        _process = process;
        _binDirectory = binDirectory;
        RootDirectory = rootDirectory;
        _password = password;
    }

    /// <summary>The temporary directory holding the data directory, the socket and the server log.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory (<c>PGDATA</c>).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The server log.</summary>
    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Initializes and starts a new cluster.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or the cluster did not start; the message says why.</exception>
    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the throwaway PostgreSQL cluster runs on Linux and macOS");
        }

        var binDirectory = PostgresBinaries.FindDirectory();
        var process = await ClusterProcess.CreateAsync(cancellationToken);
        var root = Path.Combine(Path.GetTempPath(), "writ-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = new PostgresCluster(process, binDirectory, root, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
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

    /// <summary>A connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "postgres", string? applicationName = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = Superuser,
            Password = _password,
            Database = database,
        };
        if (applicationName is not null)
        {
            builder.ApplicationName = applicationName;
        }

        return builder.ConnectionString;
    }

    /// <summary>Creates a new, empty database with a unique name and returns that name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "writ_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\";", cancellationToken);
        return name;
    }

    /// <summary>Drops a database, ending every session still connected to it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE);", cancellationToken);

    /// <summary>Runs one statement on the <c>postgres</c> database over an unpooled connection.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, committed work is kept).</summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await PgCtlAsync(cancellationToken, "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60");

    /// <summary>Starts the stopped server again on the same port and data directory.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken) =>
        await PgCtlAsync(cancellationToken, "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60");

    /// <summary>Stops the server at once and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await _process.RunAsync(Program("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], RootDirectory, CancellationToken.None);
        }

        DeleteRoot();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(RootDirectory, "password");
        await File.WriteAllTextAsync(passwordFile, _password, cancellationToken);
        await _process.TakeOwnershipAsync(RootDirectory, cancellationToken);

        var init = await _process.RunAsync(
            Program("initdb"),
            ["-D", DataDirectory, "-U", Superuser, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            RootDirectory,
            cancellationToken);
        File.Delete(passwordFile);
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed (exit {init.ExitCode}): {init.Output}");
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
            var start = await _process.RunAsync(Program("pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60"], RootDirectory, cancellationToken);
            if (start.ExitCode == 0)
            {
                return;
            }

            // Another process may have taken the port between probing and binding; try another.
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException($"pg_ctl start failed (exit {start.ExitCode}): {start.Output}\n{ReadLog()}");
            }
        }
    }

    private async Task PgCtlAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await _process.RunAsync(Program("pg_ctl"), arguments, RootDirectory, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {arguments[0]} failed (exit {result.ExitCode}): {result.Output}\n{ReadLog()}");
        }
    }

    private string Program(string name) => Path.Combine(_binDirectory, name);

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The test host is going away without disposing the fixture (for example after a crash):
        // do not leave a server running.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _process.RunBlocking(Program("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate"], RootDirectory);
            DeleteRoot();
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
        catch (IOException)
        {
            // Left for the operating system's temp cleanup; nothing listens there any more.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
