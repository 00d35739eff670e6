using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Writ.Core.Identity;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;
using Writ.Mcp.ReferenceServer;
using Writ.Server;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// The reference MCP server, a real Writ control plane (SQLite in a temporary directory) and a real gateway in
/// front of the reference server, on loopback; plus a task whose intent declares every tool the reference server
/// offers, so a run of the conformance suite through the gateway meets no refusal that a direct run would not.
/// </summary>
internal sealed class ConformanceWorld : IAsyncDisposable
{
    public const string RoutePath = "/mcp/reference";
    public const string Target = "mcp:reference";
    private const string Audience = "https://gateway.conformance.test";
    private const string Toolset = "reference";

    private const string Policies = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource);

        @id("call-any")
        permit (principal, action in [Writ::Action::"CallTool", Writ::Action::"ReadResource", Writ::Action::"GetPrompt"], resource);
        """;

    private readonly WebApplication writ;
    private readonly WebApplication gateway;
    private readonly string data;

    private readonly string adminToken;

    private ConformanceWorld(ReferenceMcpServer reference, ReferenceCatalog catalog, WebApplication writ, WebApplication gateway, string data, string adminToken, string taskToken)
    {
        Reference = reference;
        Catalog = catalog;
        this.writ = writ;
        this.gateway = gateway;
        this.data = data;
        this.adminToken = adminToken;
        TaskToken = taskToken;
        GatewayUrl = new Uri(gateway.Urls.First().TrimEnd('/') + RoutePath);
    }

    public ReferenceMcpServer Reference { get; }

    /// <summary>What the reference server offers, as listed by an MCP client connected to it directly.</summary>
    public ReferenceCatalog Catalog { get; }

    /// <summary>The gateway route in front of the reference server.</summary>
    public Uri GatewayUrl { get; }

    /// <summary>A task token for the gateway whose intent declares every tool of the reference server.</summary>
    public string TaskToken { get; }

    public static async Task<ConformanceWorld> StartAsync(CancellationToken cancellationToken)
    {
        var reference = await ReferenceMcpServer.StartAsync(cancellationToken);
        var data = Path.Combine(Path.GetTempPath(), "writ-conformance-" + Guid.NewGuid().ToString("N"));
        var writ = WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data, TrustDomain = "writ.local", DevMode = true });
        await writ.StartAsync(cancellationToken);
        var info = WritApp.GetStartupInfo(writ);
        using var http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
        await AdminAsync(http, info.AdminToken, "owners", new { name = "alice" }, cancellationToken);
        await AdminAsync(http, info.AdminToken, "policy-sets", new { files = new[] { new { name = "all.cedar", text = Policies } }, activate = true }, cancellationToken);
        await AdminAsync(http, info.AdminToken, "connections", new { name = "reference-token", owner = "alice", kind = "static_secret", secret = "reference-upstream-secret", headerName = "Authorization", scheme = "Bearer" }, cancellationToken);

        var settings = GatewayConfigLoader.Parse(Config(info.Issuer, info.AdminToken, data, reference.Url), data);
        var gateway = GatewayApp.Build(settings);
        await gateway.StartAsync(cancellationToken);

        var catalog = await ReferenceCatalog.ListAsync(reference.Url, cancellationToken);
        var token = await TaskTokenAsync(http, info.AdminToken, info.Issuer, Intent(catalog), cancellationToken);
        return new ConformanceWorld(reference, catalog, writ, gateway, data, info.AdminToken, token);
    }

    private static string Config(string issuer, string adminToken, string data, Uri upstream) => $$"""
        {
          "writ": { "issuer": "{{issuer}}", "trustDomain": "writ.local", "token": "{{adminToken}}" },
          "audience": "{{Audience}}",
          "urls": ["http://127.0.0.1:0"],
          "storage": { "provider": "sqlite", "dataDirectory": "{{data}}" },
          "limits": { "upstreamTimeoutSeconds": 60 },
          "routes": [
            { "path": "{{RoutePath}}", "kind": "mcp", "url": "{{upstream.AbsoluteUri}}", "toolset": "{{Toolset}}",
              "credential": { "kind": "connection", "connection": "reference-token" },
              "target": { "fixed": "{{Target}}" } }
          ]
        }
        """;

    /// <summary>The audit records of one type that the gateway wrote for the conformance task.</summary>
    public async Task<IReadOnlyList<JsonObject>> AuditRecordsAsync(string type, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(WritApp.GetStartupInfo(writ).Urls[0].TrimEnd('/') + "/") };
        var records = new List<JsonObject>();
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"admin/v1/audit/records?type={Uri.EscapeDataString(type)}&limit=1000" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            var page = await OkAsync(http.SendAsync(request, cancellationToken), cancellationToken);
            records.AddRange(page["items"]!.AsArray().Select(r => r!.AsObject()));
            cursor = page["nextCursor"]?.ToString();
        }
        while (cursor is not null);

        return records;
    }

    /// <summary>The tool name the gateway decides for an MCP tool of the reference server.</summary>
    public static string ToolName(string mcpTool) => Toolset + "." + mcpTool;

    // The intent is read from the reference server itself, so a tool added there is declared here too.
    private static string Intent(ReferenceCatalog catalog)
    {
        var grants = catalog.Tools.Select(t => new { tool = ToolName(t), targets = new[] { Target } }).ToArray();
        return JsonSerializer.Serialize(new[] { new { type = "writ_task", purpose = "MCP conformance through the gateway", tools = grants, sensitivity = "internal", max_duration = "PT30M" } });
    }

    private static async Task<string> TaskTokenAsync(HttpClient http, string adminToken, string issuer, string intent, CancellationToken cancellationToken)
    {
        await AdminAsync(http, adminToken, "agents", new { name = "conformance", owner = "alice" }, cancellationToken);
        var join = (await AdminAsync(http, adminToken, "join-tokens", new { agent = "conformance" }, cancellationToken))["token"]!.GetValue<string>();
        var identity = (await OkAsync(http.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = join,
            ["subject_token_type"] = TokenTypes.JoinToken,
            ["audience"] = issuer,
        }), cancellationToken), cancellationToken))["access_token"]!.GetValue<string>();
        return (await OkAsync(http.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = identity,
            ["subject_token_type"] = TokenTypes.Jwt,
            ["audience"] = Audience,
            ["authorization_details"] = intent,
        }), cancellationToken), cancellationToken))["access_token"]!.GetValue<string>();
    }

    private static async Task<JsonObject> AdminAsync(HttpClient http, string adminToken, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/" + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        return await OkAsync(http.SendAsync(request, cancellationToken), cancellationToken);
    }

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> call, CancellationToken cancellationToken)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        await gateway.StopAsync(CancellationToken.None);
        await gateway.DisposeAsync();
        await writ.StopAsync(CancellationToken.None);
        await writ.DisposeAsync();
        await Reference.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
