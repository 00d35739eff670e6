using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Writ.Cli.Commands;
using Writ.Storage.Postgres;
using Writ.Storage.Sqlite;

namespace Writ.Cli.Demo;

// Everything the scenario runs against, all on this machine: a Writ server (the one at --server, or a
// `writ dev` the demo starts in a temporary data directory), `writ gateway` in front of the reference MCP
// filesystem server, and a throwaway PostgreSQL. Disposal stops what the demo started and removes its files.
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private const string GatewayTokenFile = "gateway-admin.token";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    private readonly List<ChildProcess> processes = [];
    private readonly bool keep;
    private ThrowawayCluster? postgres;

    private DemoEnvironment(string workspace, bool keep)
    {
        Workspace = workspace;
        this.keep = keep;
    }

    // The demo's own files: fixtures, gateway configuration, the copy of the audit log it tampers with.
    public string Workspace { get; }

    public DemoServer Server { get; private set; } = null!;

    public DemoFixtures Fixtures { get; private set; } = null!;

    public Uri? GatewayUrl { get; private set; }

    public static async Task<DemoEnvironment> CreateAsync(DemoOptions options, CliContext context, DemoNarrator narrator, CancellationToken cancellationToken)
    {
        var workspace = Path.Combine(Path.GetTempPath(), "writ-demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(workspace);
        }
        else
        {
            // The workspace holds an admin token for the gateway: readable by this user only.
            Directory.CreateDirectory(workspace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var environment = new DemoEnvironment(workspace, options.Keep);
        try
        {
            environment.Fixtures = DemoFixtures.Write(Path.Combine(workspace, "projects"));
            environment.Server = await environment.ConnectOrStartAsync(options, context, narrator, cancellationToken);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    // Starts the throwaway PostgreSQL (step 6 reports a failure; nothing else depends on it).
    public async Task<ThrowawayCluster> StartPostgresAsync(CancellationToken cancellationToken)
    {
        var programs = PostgresPrograms.FindDirectory();
        try
        {
            postgres = await ThrowawayCluster.StartAsync(programs, PostgresPrograms.Superuser, PostgresPrograms.UserVariable, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException)
        {
            throw new DemoException(e.Message);
        }

        return postgres;
    }

    public async Task<Uri> StartGatewayAsync(string trustDomain, string filesystemServer, CancellationToken cancellationToken)
    {
        var tokenFile = Path.Combine(Workspace, GatewayTokenFile);
        await File.WriteAllTextAsync(tokenFile, Server.AdminToken, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var gatewayUrl = url.ToString().TrimEnd('/');
        var config = new JsonObject
        {
            ["writ"] = new JsonObject { ["issuer"] = Server.Issuer, ["trustDomain"] = trustDomain, ["tokenFile"] = tokenFile },
            ["audience"] = gatewayUrl,
            ["urls"] = new JsonArray(gatewayUrl),
            ["storage"] = new JsonObject { ["provider"] = "sqlite", ["dataDirectory"] = Server.DataDirectory },
            ["routes"] = new JsonArray(
                FilesystemRoute("/mcp/acme-web", filesystemServer, Fixtures.WebDirectory, DemoFixtures.WebTarget),
                FilesystemRoute("/mcp/acme-billing", filesystemServer, Fixtures.BillingDirectory, DemoFixtures.BillingTarget)),
        };
        var configFile = Path.Combine(Workspace, "gateway.json");
        await File.WriteAllTextAsync(configFile, config.ToJsonString(), cancellationToken);
        var gateway = Track(ChildProcess.Start("writ gateway", WritExecutable.StartInfo(Workspace, "gateway", "--config", configFile)));
        await WaitHealthyAsync(gateway, url, "/healthz", cancellationToken);
        GatewayUrl = url;
        return url;
    }

    public async ValueTask DisposeAsync()
    {
        // Gateway first (it writes to the server's store), then the server, then the database.
        for (var i = processes.Count - 1; i >= 0; i--)
        {
            await processes[i].DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        // The gateway's copy of the admin token never outlives the demo, --keep or not.
        try
        {
            File.Delete(Path.Combine(Workspace, GatewayTokenFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still inside the demo's own directory, readable by this user only.
        }

        if (!keep)
        {
            try
            {
                Directory.Delete(Workspace, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary directory is harmless.
            }
        }
    }

    private static JsonObject FilesystemRoute(string path, string filesystemServer, string directory, string target) => new()
    {
        ["path"] = path,
        ["kind"] = "stdio",
        ["command"] = "node",
        ["args"] = new JsonArray(filesystemServer, directory),
        ["toolset"] = "files",
        ["target"] = new JsonObject { ["fixed"] = target },
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AnswersAsync(Uri server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(server, "/healthz"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<string> IssuerAsync(Uri server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metadata = await http.GetFromJsonAsync<JsonObject>(new Uri(server, "/.well-known/oauth-authorization-server"), cancellationToken);
        return metadata?["issuer"]?.GetValue<string>() ?? throw new DemoException($"{server} answers, but its OAuth metadata names no issuer: is it a Writ server?");
    }

    private async Task<DemoServer> ConnectOrStartAsync(DemoOptions options, CliContext context, DemoNarrator narrator, CancellationToken cancellationToken)
    {
        if (await AnswersAsync(options.Server, cancellationToken))
        {
            var connection = AdminConnection.Resolve(options.Server.ToString(), options.Token, context);
            var data = Path.GetFullPath(options.Data ?? ".writ", context.WorkingDirectory);
            if (!File.Exists(Path.Combine(data, SqliteWritStore.DatabaseFileName)))
            {
                throw new DemoException(
                    $"a Writ server answers at {options.Server}, but {data} holds no Writ database. The demo's gateway and audit check need that server's data directory: " +
                    "pass --data (the directory `writ dev` was started with), or pass --server with a free address and the demo starts its own `writ dev`");
            }

            narrator.Say($"Using the Writ server at {options.Server} (data directory {data}).");
            return new DemoServer(options.Server, await IssuerAsync(options.Server, cancellationToken), connection.Token, data, Started: false);
        }

        if (!options.Server.IsLoopback || options.Server.Scheme != Uri.UriSchemeHttp)
        {
            throw new DemoException($"nothing answers at {options.Server}, and the demo starts its own `writ dev` only on a local http:// address (e.g. http://127.0.0.1:7600)");
        }

        var dataDirectory = Path.GetFullPath(options.Data ?? Path.Combine(Workspace, "data"), context.WorkingDirectory);
        var url = options.Server.GetLeftPart(UriPartial.Authority);
        narrator.Say($"No Writ server at {url}: starting `writ dev` there (data directory {dataDirectory}).");
        var dev = Track(ChildProcess.Start("writ dev", WritExecutable.StartInfo(Workspace, "dev", "--urls", url, "--data", dataDirectory, "--json")));
        await WaitHealthyAsync(dev, options.Server, "/readyz", cancellationToken);
        var tokenFile = Path.Combine(dataDirectory, "admin-token");
        if (!File.Exists(tokenFile))
        {
            throw new DemoException($"`writ dev` started but wrote no admin token to {tokenFile}; is WRIT_ADMIN_TOKEN set for it?");
        }

        var token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        return new DemoServer(new Uri(url), await IssuerAsync(options.Server, cancellationToken), token, dataDirectory, Started: true);
    }

    private ChildProcess Track(ChildProcess process)
    {
        processes.Add(process);
        return process;
    }

    private static async Task WaitHealthyAsync(ChildProcess process, Uri url, string path, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new DemoException($"{process.Name} exited with code {process.ExitCode} before it was ready:\n{process.RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(url, path), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > StartBound)
            {
                throw new DemoException($"{process.Name} was not ready at {url} within {StartBound.TotalSeconds:0} s:\n{process.RecentOutput}");
            }

            await Task.Delay(150, cancellationToken);
        }
    }
}
