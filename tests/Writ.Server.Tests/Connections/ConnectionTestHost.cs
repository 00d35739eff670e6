using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Writ.Core.Storage;

namespace Writ.Server.Tests.Connections;

/// <summary>
/// A real control plane on loopback (SQLite file, fake clock) started with extra configuration and
/// with every log line captured, and every admin response body kept, for the secret checks.
/// </summary>
internal sealed class ConnectionTestHost : IAsyncDisposable
{
    private readonly List<string> _responses = [];

    private ConnectionTestHost(WebApplication app, string dataDirectory, FakeTimeProvider time, CapturedLogs logs)
    {
        App = app;
        DataDirectory = dataDirectory;
        Time = time;
        Logs = logs;
        var info = WritApp.GetStartupInfo(app);
        AdminToken = info.AdminToken;
        Http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public CapturedLogs Logs { get; }

    public string AdminToken { get; }

    public HttpClient Http { get; }

    public IReadOnlyList<string> Responses => _responses;

    public IWritStore Store => App.Services.GetRequiredService<IWritStore>();

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<ConnectionTestHost> StartAsync(string? kek = null, string? dataDirectory = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "writ-connection-tests-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        List<string> args = ["--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace", "--Logging:Console:LogLevel:Default=None"];
        if (kek is not null)
        {
            args.Add("--Writ:Connections:Kek=" + kek);
        }

        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = data,
            DevMode = true,
            TimeProvider = time,
            ConfigurationArgs = args,
        });
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ConnectionTestHost(app, data, time, logs);
    }

    public async Task<(HttpResponseMessage Response, string Text)> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, "admin/v1/" + path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        lock (_responses)
        {
            _responses.Add(text);
        }

        return (response, text);
    }

    public async Task<JsonObject> OkAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        var (response, text) = await SendAsync(method, path, body, token);
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<(int Status, string? Code)> ProblemAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        var (response, text) = await SendAsync(method, path, body, token);
        using (response)
        {
            var code = text.Length > 0 ? JsonNode.Parse(text)?["code"]?.GetValue<string>() : null;
            return ((int)response.StatusCode, code);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
