using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Writ.Core.Storage;
using Writ.Server;

namespace Writ.Server.Tests.Infrastructure;

/// <summary>A real control plane on a loopback port with a SQLite file in a temporary directory and a fake clock.</summary>
internal sealed class WritHost : IAsyncDisposable
{
    private readonly bool keepData;

    private WritHost(WebApplication app, string dataDirectory, FakeTimeProvider time, bool keepData)
    {
        this.keepData = keepData;
        App = app;
        DataDirectory = dataDirectory;
        Time = time;
        var info = WritApp.GetStartupInfo(app);
        Issuer = info.Issuer;
        AdminToken = info.AdminToken;
        Http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public string Issuer { get; }

    public string TokenEndpoint => Issuer.TrimEnd('/') + "/oauth2/token";

    public string AdminToken { get; }

    public HttpClient Http { get; }

    public IWritStore Store => App.Services.GetRequiredService<IWritStore>();

    public static async Task<WritHost> StartAsync(string trustDomain = "writ.local", TimeSpan? identityTokenLifetime = null, string? dataDirectory = null, bool keepData = false, string? issuer = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "writ-server-tests-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = data,
            TrustDomain = trustDomain,
            DevMode = true,
            TimeProvider = time,
            IdentityTokenLifetime = identityTokenLifetime,
            Issuer = issuer,
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new WritHost(app, data, time, keepData);
    }

    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, "admin/v1/" + path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonObject> AdminOkAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var response = await AdminAsync(method, path, body, token);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task AddOwnerAsync(string name) => await AdminOkAsync(HttpMethod.Post, "owners", new { name });

    public async Task<JsonObject> RegisterAgentAsync(string name, string owner, object? publicKeys = null, string[]? methods = null) =>
        await AdminOkAsync(HttpMethod.Post, "agents", new { name, owner, publicKeys, attestationMethods = methods });

    public async Task<string> CreateJoinTokenAsync(string agent, string? ttl = null) =>
        (await AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent, ttl }))["token"]!.GetValue<string>();

    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] form) =>
        PostFormAsync("oauth2/token", form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();

    public async Task<JsonWebKeySetText> JwksAsync() =>
        new(await Http.GetStringAsync(".well-known/jwks.json", TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (keepData)
        {
            return;
        }

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

internal sealed record JsonWebKeySetText(string Json)
{
    public JsonElement Keys => JsonDocument.Parse(Json).RootElement.GetProperty("keys");
}
