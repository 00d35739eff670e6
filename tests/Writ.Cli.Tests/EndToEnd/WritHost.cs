using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.EndToEnd;

// A real `writ dev` or `writ server` process on a free loopback port with its own data directory and
// its own store (SQLite, or a fresh PostgreSQL database); killed and its store removed on dispose, whatever happened.
internal sealed class WritHost : IAsyncDisposable
{
    // How long start-up may take on a busy 2-core machine before the test gives up; not a timing assertion.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();
    private readonly bool ownsDirectory;
    private readonly HostDatabase database;

    private WritHost(Process process, HostDatabase database, string workingDirectory, Uri url, bool ownsDirectory)
    {
        this.process = process;
        this.database = database;
        WorkingDirectory = workingDirectory;
        Url = url;
        this.ownsDirectory = ownsDirectory;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string WorkingDirectory { get; }

    public string DataDirectory => Path.Combine(WorkingDirectory, ".writ");

    public string AdminTokenFile => Path.Combine(DataDirectory, "admin-token");

    // The server URL without a trailing slash, as the issuer is by default.
    public Uri Url { get; }

    public string Server => Url.ToString().TrimEnd('/');

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (error)
            {
                return error.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    // The PostgreSQL connection string of this host's database; null on SQLite.
    public string? ConnectionString => database.ConnectionString;

    public static Task<WritHost> StartAsync(HostStorage storage, string? workingDirectory = null, params string[] extraArgs) =>
        StartAsync(storage, "dev", workingDirectory, null, extraArgs);

    // Starts `writ <command>` (dev or server) with --urls and --data chosen here on a new store of the given
    // provider, and waits until it is healthy.
    public static async Task<WritHost> StartAsync(HostStorage storage, string command, string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] extraArgs)
    {
        var database = await storage.CreateAsync(TestContext.Current.CancellationToken);
        Process process;
        var ownsDirectory = workingDirectory is null;
        workingDirectory ??= Directory.CreateTempSubdirectory("writ-e2e-").FullName;
        var url = new Uri($"http://127.0.0.1:{Ports.Free()}");
        try
        {
            var args = new List<string> { command, "--urls", url.ToString().TrimEnd('/'), "--data", Path.Combine(workingDirectory, ".writ") };
            args.AddRange(extraArgs);
            var variables = new Dictionary<string, string>(database.Environment);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            process = Process.Start(WritProcess.StartInfo(workingDirectory, args, variables))
                ?? throw new InvalidOperationException($"could not start writ {command}");
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        var server = new WritHost(process, database, workingDirectory, url, ownsDirectory);
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    // Runs the CLI against this server from its working directory, so the dev admin token file is found as a user would.
    public Task<CliResult> CliAsync(params string[] args) =>
        WritProcess.RunAsync(WorkingDirectory, null, WithServer(args));

    // --server goes before a `--` separator, after which every token is an argument.
    private string[] WithServer(string[] args)
    {
        var separator = Array.IndexOf(args, "--");
        return separator < 0 ? [.. args, "--server", Server] : [.. args[..separator], "--server", Server, .. args[separator..]];
    }

    public Task<(int Status, JsonObject Body)> ExchangeJoinTokenAsync(string joinToken, string audience) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = joinToken,
            ["subject_token_type"] = "urn:writ:params:oauth:token-type:join-token",
            ["audience"] = audience,
        });

    public Task<(int Status, JsonObject Body)> PresentAssertionAsync(string assertion, string audience) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
            ["audience"] = audience,
        });

    public Task<(int Status, JsonObject Body)> ExchangeExternalTokenAsync(string externalToken, string audience) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = externalToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["audience"] = audience,
        });

    private async Task<(int Status, JsonObject Body)> PostTokenAsync(Dictionary<string, string> fields)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri(Url, "/oauth2/token"), form);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
        return ((int)response.StatusCode, body);
    }

    // Sends SIGTERM, as a service manager would, and waits for the process to end.
    public async Task<int> TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var bound = new CancellationTokenSource(StartBound);
        await process.WaitForExitAsync(bound.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
            if (ownsDirectory)
            {
                try
                {
                    Directory.Delete(WorkingDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temp directory is harmless.
                }
            }

            await database.DisposeAsync();
        }
    }

    public override string ToString() => $"writ at {Url}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    // `writ dev` and `writ server` print their start information (text or --json) once they listen.
    private bool StartInfoPrinted()
    {
        var text = Output;
        return text.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal)
            || text.Contains("Writ is listening on", StringComparison.Ordinal)
            || text.Contains("\"adminTokenFile\"", StringComparison.Ordinal);
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"writ dev exited with {process.ExitCode} before it was healthy.\n{this}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/healthz"));
                if (response.IsSuccessStatusCode && StartInfoPrinted())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy machine; try again.
            }

            if (deadline.Elapsed > StartBound)
            {
                throw new InvalidOperationException($"writ dev was not healthy within {StartBound}.\n{this}");
            }

            await Task.Delay(100);
        }
    }
}
