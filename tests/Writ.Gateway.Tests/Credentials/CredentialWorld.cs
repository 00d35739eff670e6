using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Writ.Core.Identity;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;
using Writ.Gateway.Tests.Infrastructure;
using Writ.Server;

namespace Writ.Gateway.Tests.Credentials;

/// <summary>
/// A real Writ control plane (SQLite in a temporary directory) with extra configuration, a recording upstream, and
/// gateways started on demand with their own configuration, all on loopback: for the credential tests, which need a
/// control plane and gateways configured differently from <see cref="GatewayWorld"/>.
/// </summary>
internal sealed class CredentialWorld : IAsyncDisposable
{
    public const string Audience = "https://gateway.test";
    public const string Resource = "https://downstream.test";
    public const string UpstreamSecret = "kek-sealed-upstream-secret-456";

    private const string Policies = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource);

        @id("call-any")
        permit (principal, action == Writ::Action::"CallTool", resource);
        """;

    private readonly List<WebApplication> gateways = [];

    private CredentialWorld(WebApplication writ, FakeUpstream upstream, string data, string adminToken)
    {
        Writ = writ;
        Upstream = upstream;
        Data = data;
        AdminToken = adminToken;
        Issuer = WritApp.GetStartupInfo(writ).Issuer;
        WritHttp = new HttpClient { BaseAddress = new Uri(WritApp.GetStartupInfo(writ).Urls[0].TrimEnd('/') + "/") };
    }

    public WebApplication Writ { get; }

    public FakeUpstream Upstream { get; }

    public string Data { get; }

    public string AdminToken { get; }

    public string Issuer { get; }

    public HttpClient WritHttp { get; }

    /// <summary>Starts Writ with <paramref name="configurationArgs"/> (e.g. <c>--Writ:Connections:Kek=…</c>), an owner, the policies and a static-secret connection.</summary>
    public static async Task<CredentialWorld> StartAsync(params string[] configurationArgs)
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(Path.GetTempPath(), "writ-gateway-credentials-" + Guid.NewGuid().ToString("N"));
        var writ = WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data, TrustDomain = "writ.local", DevMode = true, ConfigurationArgs = configurationArgs });
        await writ.StartAsync(ct);
        var info = WritApp.GetStartupInfo(writ);
        var upstream = await FakeUpstream.StartAsync();
        var world = new CredentialWorld(writ, upstream, data, info.AdminToken);
        await world.AdminAsync("owners", new { name = "alice" });
        await world.AdminAsync("policy-sets", new { files = new[] { new { name = "all.cedar", text = Policies } }, activate = true });
        await world.AdminAsync("connections", new { name = "github-token", owner = "alice", kind = "static_secret", secret = UpstreamSecret, headerName = "Authorization", scheme = "Bearer" });
        return world;
    }

    /// <summary>
    /// The gateway's configuration, every route to the recording upstream: a brokered secret; a downstream token whose
    /// calls target the resource itself; and a downstream token whose calls target <c>api:down</c>.
    /// </summary>
    public string GatewayConfig() => $$"""
        {
          "writ": { "issuer": "{{Issuer}}", "trustDomain": "writ.local", "token": "{{AdminToken}}" },
          "audience": "{{Audience}}",
          "urls": ["http://127.0.0.1:0"],
          "storage": { "provider": "sqlite", "dataDirectory": "{{Data}}" },
          "routes": [
            { "path": "/mcp/github", "kind": "mcp", "url": "{{Upstream.Url}}/mcp", "toolset": "github",
              "credential": { "kind": "connection", "connection": "github-token" },
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/mcp/downstream", "kind": "mcp", "url": "{{Upstream.Url}}/mcp", "toolset": "down",
              "credential": { "kind": "token-exchange", "resource": "{{Resource}}" },
              "target": { "fixed": "{{Resource}}" } },
            { "path": "/mcp/downstream-api", "kind": "mcp", "url": "{{Upstream.Url}}/mcp", "toolset": "down",
              "credential": { "kind": "token-exchange", "resource": "{{Resource}}" },
              "target": { "fixed": "api:down" } }
          ]
        }
        """;

    /// <summary>Builds a gateway with <paramref name="configuration"/> entries; throws as <see cref="GatewayApp.Build"/> does.</summary>
    public WebApplication BuildGateway(IReadOnlyDictionary<string, string?>? configuration = null) =>
        GatewayApp.Build(GatewayConfigLoader.Parse(GatewayConfig(), Data), new GatewayHostOptions { Configuration = configuration });

    /// <summary>Starts a gateway and returns a client for it.</summary>
    public async Task<HttpClient> StartGatewayAsync(IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var gateway = BuildGateway(configuration);
        gateways.Add(gateway);
        await gateway.StartAsync(TestContext.Current.CancellationToken);
        return new HttpClient { BaseAddress = new Uri(gateway.Urls.First().TrimEnd('/') + "/") };
    }

    /// <summary>Registers the agent, attests with a join token and starts a task for the gateway's audience with <paramref name="intent"/>.</summary>
    public async Task<string> TaskTokenAsync(string agent, string intent)
    {
        await AdminAsync("agents", new { name = agent, owner = "alice" });
        var join = (await AdminAsync("join-tokens", new { agent }))["token"]!.GetValue<string>();
        var identity = await ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = join,
            ["subject_token_type"] = TokenTypes.JoinToken,
            ["audience"] = Issuer,
        });
        return await ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = identity,
            ["subject_token_type"] = TokenTypes.Jwt,
            ["audience"] = Audience,
            ["authorization_details"] = intent,
        });
    }

    public static async Task<HttpResponseMessage> CallAsync(HttpClient gateway, string path, string body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await gateway.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonObject> AdminAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/" + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await WritHttp.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        WritHttp.Dispose();
        foreach (var gateway in gateways)
        {
            await gateway.StopAsync(CancellationToken.None);
            await gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await Writ.StopAsync(CancellationToken.None);
        await Writ.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task<string> ExchangeAsync(Dictionary<string, string> form)
    {
        using var response = await WritHttp.PostAsync("oauth2/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }
}
