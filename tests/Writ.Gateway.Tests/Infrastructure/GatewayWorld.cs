using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;
using Writ.Server;

namespace Writ.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Writ control plane (SQLite in a temporary directory), a real gateway sharing its store, and a
/// fake MCP upstream, all on loopback. The policies permit every call; the task intent decides.
/// </summary>
internal sealed class GatewayWorld : IAsyncDisposable
{
    public const string Audience = "https://gateway.test";
    public const string UpstreamSecret = "upstream-secret-value-123";

    public const string Intent = """[{"type":"writ_task","purpose":"triage","tools":[{"tool":"github.search_issues","targets":["repo:acme/web"]},{"tool":"github.slow","targets":["repo:acme/web"]}],"sensitivity":"internal","max_duration":"PT10M"}]""";

    private const string Policies = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource);

        @id("call-any")
        permit (principal, action == Writ::Action::"CallTool", resource);

        @id("read-public-readme")
        permit (principal, action == Writ::Action::"ReadResource", resource == Writ::Resource::"docs://public/readme");

        @id("get-triage-prompt")
        permit (principal, action == Writ::Action::"GetPrompt", resource == Writ::Prompt::"triage");
        """;

    private GatewayWorld(WebApplication writ, WebApplication gateway, FakeUpstream upstream, string data, string adminToken)
    {
        Writ = writ;
        Gateway = gateway;
        Upstream = upstream;
        Data = data;
        AdminToken = adminToken;
        var info = WritApp.GetStartupInfo(writ);
        WritHttp = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
        Http = new HttpClient { BaseAddress = new Uri(gateway.Urls.First().TrimEnd('/') + "/") };
    }

    public WebApplication Writ { get; }

    public WebApplication Gateway { get; }

    public FakeUpstream Upstream { get; }

    public string Data { get; }

    public string AdminToken { get; }

    public HttpClient WritHttp { get; }

    public HttpClient Http { get; }

    public const string DefaultLimits = """{ "maxBodyBytes": 4096, "upstreamTimeoutSeconds": 10 }""";

    public static async Task<GatewayWorld> StartAsync(IAuditLog? audit = null, string limits = DefaultLimits)
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(Path.GetTempPath(), "writ-gateway-tests-" + Guid.NewGuid().ToString("N"));
        var writ = WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data, TrustDomain = "writ.local", DevMode = true });
        await writ.StartAsync(ct);
        var info = WritApp.GetStartupInfo(writ);
        var upstream = await FakeUpstream.StartAsync();
        using (var admin = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") })
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", info.AdminToken);
            await OkAsync(admin.PostAsJsonAsync("admin/v1/owners", new { name = "alice" }, ct));
            await OkAsync(admin.PostAsJsonAsync("admin/v1/policy-sets", new { files = new[] { new { name = "all.cedar", text = Policies } }, activate = true }, ct));
            await OkAsync(admin.PostAsJsonAsync("admin/v1/connections", new { name = "github-token", owner = "alice", kind = "static_secret", secret = UpstreamSecret, headerName = "Authorization", scheme = "Bearer" }, ct));
        }

        var settings = GatewayConfigLoader.Parse(Config(info.Issuer, info.AdminToken, data, upstream.Url, limits), data);
        var gateway = GatewayApp.Build(settings, new GatewayHostOptions { AuditOverride = audit });
        await gateway.StartAsync(ct);
        return new GatewayWorld(writ, gateway, upstream, data, info.AdminToken);
    }

    private static string StdioScript => Path.Combine(AppContext.BaseDirectory, "Infrastructure", "stdio-upstream.py");

    public static string Config(string issuer, string adminToken, string data, string upstream, string limits = DefaultLimits) => $$"""
        {
          "writ": { "issuer": "{{issuer}}", "trustDomain": "writ.local", "token": "{{adminToken}}" },
          "audience": "{{Audience}}",
          "urls": ["http://127.0.0.1:0"],
          "storage": { "provider": "sqlite", "dataDirectory": "{{data}}" },
          "limits": {{limits}},
          "routes": [
            { "path": "/mcp/github", "kind": "mcp", "url": "{{upstream}}/mcp", "toolset": "github",
              "credential": { "kind": "connection", "connection": "github-token" },
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/mcp/docs", "kind": "mcp", "url": "{{upstream}}/mcp", "toolset": "docs",
              "target": { "fixed": "repo:acme/web" } },
            { "path": "/mcp/github-sse", "kind": "mcp", "url": "{{upstream}}/sse", "toolset": "github",
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/mcp/github-brief", "kind": "mcp", "url": "{{upstream}}/mcp", "toolset": "github", "streamIdleTimeoutSeconds": 1,
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/mcp/garbage", "kind": "mcp", "url": "{{upstream}}/garbage", "toolset": "github",
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/api/github", "kind": "http", "url": "{{upstream}}/api", "toolset": "github",
              "credential": { "kind": "connection", "connection": "github-token" },
              "operations": [ { "method": "GET", "path": "/issues", "tool": "github.search_issues", "target": { "argument": "repository", "prefix": "repo:" } } ] },
            { "path": "/mcp/stdio", "kind": "stdio", "command": "python3", "args": ["{{StdioScript}}"], "toolset": "github",
              "target": { "argument": "repository", "prefix": "repo:" } },
            { "path": "/mcp/down", "kind": "mcp", "url": "http://127.0.0.1:9/mcp", "toolset": "github",
              "target": { "argument": "repository", "prefix": "repo:" } }
          ]
        }
        """;

    /// <summary>Registers the agent, attests with a join token and starts a task for the gateway's audience.</summary>
    public async Task<string> TaskTokenAsync(string agent = "research", string intent = Intent, string audience = Audience, System.Security.Cryptography.ECDsa? dpopKey = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = new HttpRequestMessage(HttpMethod.Post, "admin/v1/agents") { Content = JsonContent.Create(new { name = agent, owner = "alice" }) };
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        (await WritHttp.SendAsync(admin, ct)).Dispose();
        using var joinRequest = new HttpRequestMessage(HttpMethod.Post, "admin/v1/join-tokens") { Content = JsonContent.Create(new { agent }) };
        joinRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var join = (await OkAsync(WritHttp.SendAsync(joinRequest, ct)))["token"]!.GetValue<string>();
        var identity = (await OkAsync(WritHttp.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = join,
            ["subject_token_type"] = TokenTypes.JoinToken,
            ["audience"] = WritApp.GetStartupInfo(Writ).Issuer,
        }), ct)))["access_token"]!.GetValue<string>();
        using var start = new HttpRequestMessage(HttpMethod.Post, "oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = TokenTypes.TokenExchangeGrant,
                ["subject_token"] = identity,
                ["subject_token_type"] = TokenTypes.Jwt,
                ["audience"] = audience,
                ["authorization_details"] = intent,
            }),
        };
        if (dpopKey is not null)
        {
            start.Headers.Add("DPoP", DpopProofs.Create(dpopKey, "POST", WritHttp.BaseAddress!.AbsoluteUri + "oauth2/token"));
        }

        return (await OkAsync(WritHttp.SendAsync(start, ct)))["access_token"]!.GetValue<string>();
    }

    public async Task<JsonObject> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, "admin/v1/" + path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return await OkAsync(WritHttp.SendAsync(request, TestContext.Current.CancellationToken));
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body, string? token, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends a request to the gateway, with the MCP session id when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? token, string? session)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }

    /// <summary>The audit records of one type, oldest first.</summary>
    public async Task<IReadOnlyList<JsonObject>> AuditRecordsAsync(string type) =>
        [.. (await AdminAsync(HttpMethod.Get, "audit/records?type=" + Uri.EscapeDataString(type) + "&limit=1000"))["items"]!.AsArray().Select(r => r!.AsObject())];

    /// <summary>Waits until a record of <paramref name="type"/> matching <paramref name="match"/> is in the log (records are appended asynchronously).</summary>
    public async Task<JsonObject> WaitForRecordAsync(string type, Func<JsonObject, bool> match)
    {
        while (true)
        {
            if ((await AuditRecordsAsync(type)).FirstOrDefault(match) is { } record)
            {
                return record;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        WritHttp.Dispose();
        await Gateway.StopAsync(CancellationToken.None);
        await Gateway.DisposeAsync();
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

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
