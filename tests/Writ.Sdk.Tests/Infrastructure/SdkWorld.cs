using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Writ.Server;

namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>
/// A real control plane on a loopback port with a SQLite file in a temporary directory and a fake clock the
/// SDK shares, an owner, policies applied through the admin API, and agents registered with P-256 keys.
/// </summary>
internal sealed class SdkWorld : IAsyncDisposable
{
    public const string Gateway = "https://gateway.test";

    public const string Policies = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource)
        unless { context.target == Writ::Target::"db:payroll" };

        @id("github-tools")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github");

        @id("delegate-within-owner")
        permit (principal, action == Writ::Action::"Delegate", resource)
        when { resource in principal.owner };
        """;

    private readonly WebApplication app;
    private readonly string data;
    private readonly List<IDisposable> keys = [];
    private readonly HttpClient admin;

    private SdkWorld(WebApplication app, string data, FakeTimeProvider time)
    {
        this.app = app;
        this.data = data;
        Time = time;
        var info = WritApp.GetStartupInfo(app);
        Url = new Uri(info.Urls[0].TrimEnd('/') + "/");
        Issuer = info.Issuer;
        AdminToken = info.AdminToken;
        admin = new HttpClient { BaseAddress = new Uri(Url, "admin/v1/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", info.AdminToken);
    }

    public FakeTimeProvider Time { get; }

    public Uri Url { get; }

    public string Issuer { get; }

    public string AdminToken { get; }

    public string DataDirectory => data;

    public string TrustDomain => "writ.local";

    public static TaskIntent Intent(string purpose = "triage issues", TimeSpan? duration = null, params string[] targets) =>
        new(purpose, [new ToolGrant("github.search_issues", targets.Length == 0 ? ["repo:acme/web", "repo:acme/api"] : targets)], TaskSensitivity.Internal, duration ?? TimeSpan.FromMinutes(10));

    public static async Task<SdkWorld> StartAsync(TimeSpan? identityTokenLifetime = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-sdk-tests-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = data,
            TrustDomain = "writ.local",
            DevMode = true,
            TimeProvider = time,
            IdentityTokenLifetime = identityTokenLifetime,
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var world = new SdkWorld(app, data, time);
        await world.AdminOkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await world.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = new[] { new { name = "sdk.cedar", text = Policies } }, activate = true });
        return world;
    }

    public string SpiffeId(string agent) => $"spiffe://{TrustDomain}/agent/{agent}";

    /// <summary>Registers an agent with a new P-256 key and returns the attestation that signs with it.</summary>
    public async Task<AgentAttestation> RegisterKeyedAgentAsync(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        keys.Add(key);
        var p = key.ExportParameters(false);
        var jwk = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y), ["kid"] = name + "-1" };
        await AdminOkAsync(HttpMethod.Post, "agents", new { name, owner = "alice", publicKeys = new[] { jwk } });
        return AgentAttestation.RegisteredKey(SpiffeId(name), name + "-1", key);
    }

    public async Task RegisterAgentAsync(string name) => await AdminOkAsync(HttpMethod.Post, "agents", new { name, owner = "alice" });

    public async Task<string> JoinTokenAsync(string agent) =>
        (await AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent }))["token"]!.GetValue<string>();

    public WritClient Client(AgentAttestation attestation, HttpMessageHandler? handler = null, TimeProvider? time = null) => new(new WritClientOptions
    {
        WritUrl = Url,
        Attestation = attestation,
        TimeProvider = time ?? Time,
        HttpHandler = handler,
    });

    public async Task<JsonObject> TaskAsync(string id) => await AdminOkAsync(HttpMethod.Get, "tasks/" + id);

    public async Task<JsonObject> AdminOkAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await admin.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        foreach (var key in keys)
        {
            key.Dispose();
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
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
