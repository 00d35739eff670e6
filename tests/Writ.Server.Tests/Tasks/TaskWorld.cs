using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Tasks;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

/// <summary>A running control plane with an owner, policies applied through the admin API, and helpers to start, delegate and decide tasks.</summary>
internal sealed class TaskWorld : IAsyncDisposable
{
    public const string Gateway = "https://gateway.test";

    public const string Policies = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource)
        unless { context.target == Writ::Target::"db:payroll" };

        @id("github-tools")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github");

        @id("db-tools")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"db");

        @id("no-restricted-data")
        forbid (principal, action == Writ::Action::"CallTool", resource)
        when { context.sensitivityLevel >= 3 };

        @id("delegate-within-owner")
        permit (principal, action == Writ::Action::"Delegate", resource)
        when { resource in principal.owner };
        """;

    private TaskWorld(WritHost host) => Host = host;

    public WritHost Host { get; }

    public CallDecider Decider => Host.App.Services.GetRequiredService<CallDecider>();

    public static async Task<TaskWorld> StartAsync(string policies = Policies)
    {
        var host = await WritHost.StartAsync();
        var world = new TaskWorld(host);
        await host.AddOwnerAsync("alice");
        await host.AddOwnerAsync("bob");
        await world.ApplyPoliciesAsync(policies);
        return world;
    }

    public static string Intent(string tools = """[{"tool":"github.search_issues","targets":["repo:acme/web","repo:acme/api"]},{"tool":"db.query","targets":["db:orders"]}]""", string sensitivity = "internal", string? maxDuration = "PT10M") =>
        "[{\"type\":\"writ_task\",\"purpose\":\"triage issues\",\"tools\":" + tools + ",\"sensitivity\":\"" + sensitivity + "\"" + (maxDuration is null ? string.Empty : ",\"max_duration\":\"" + maxDuration + "\"") + "}]";

    public async Task ApplyPoliciesAsync(string text) =>
        await Host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = new[] { new { name = "tasks.cedar", text } }, activate = true });

    /// <summary>Registers the agent (once) and returns an identity token issued for Writ itself.</summary>
    public async Task<string> IdentityTokenAsync(string agent, string owner = "alice", string? audience = null)
    {
        using (var existing = await Host.AdminAsync(HttpMethod.Get, "agents/" + agent))
        {
            if (!existing.IsSuccessStatusCode)
            {
                await Host.RegisterAgentAsync(agent, owner);
            }
        }

        var join = await Host.CreateJoinTokenAsync(agent);
        using var response = await Host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", join),
            ("subject_token_type", TokenTypes.JoinToken),
            ("audience", audience ?? Host.Issuer));
        var body = await WritHost.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> StartTaskAsync(string identityToken, string? details = null, string audience = Gateway, string? dpop = null, params (string Name, string Value)[] extra)
    {
        var form = new List<(string, string)>
        {
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", identityToken),
            ("subject_token_type", TokenTypes.Jwt),
            ("audience", audience),
            ("authorization_details", details ?? Intent()),
        };
        form.AddRange(extra);
        return PostTokenAsync(form, dpop);
    }

    public Task<HttpResponseMessage> DelegateAsync(string taskToken, string actorIdentityToken, string details, string audience = Gateway, string? dpop = null)
    {
        var form = new List<(string, string)>
        {
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", taskToken),
            ("subject_token_type", TokenTypes.TaskToken),
            ("actor_token", actorIdentityToken),
            ("actor_token_type", TokenTypes.Jwt),
            ("audience", audience),
            ("authorization_details", details),
        };
        return PostTokenAsync(form, dpop);
    }

    public async Task<JsonObject> OkAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var body = await WritHost.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    public static async Task<(int Status, string Error, string Description)> ErrorAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var body = await WritHost.JsonAsync(response);
        return ((int)response.StatusCode, body["error"]?.GetValue<string>() ?? string.Empty, body["error_description"]?.GetValue<string>() ?? string.Empty);
    }

    /// <summary>Starts a task for the agent with the default intent and returns its task token.</summary>
    public async Task<string> TaskTokenAsync(string agent = "research", string? details = null, string owner = "alice") =>
        (await OkAsync(StartTaskAsync(await IdentityTokenAsync(agent, owner), details)))["access_token"]!.GetValue<string>();

    public async Task<TaskTokenClaims> ClaimsAsync(string taskToken, string audience = Gateway)
    {
        var result = await Host.App.Services.GetRequiredService<TaskTokenValidator>().ValidateAsync(taskToken, audience, TestContext.Current.CancellationToken);
        Assert.True(result.Claims is not null, result.Error);
        return result.Claims!;
    }

    public async Task<CallDecision> DecideAsync(string taskToken, string tool, string target, Sensitivity? sensitivity = null, string? arguments = null)
    {
        var claims = await ClaimsAsync(taskToken);
        var call = new CallRequest(tool, target)
        {
            Sensitivity = sensitivity,
            Arguments = arguments is null ? null : JsonDocument.Parse(arguments).RootElement.Clone(),
        };
        return await Decider.DecideAsync(claims, call, TestContext.Current.CancellationToken);
    }

    /// <summary>A token signed with Writ's own active key, so tests can craft what Writ would never issue.</summary>
    public async Task<string> SignWithWritKeyAsync(IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var credentials = await Host.App.Services.GetRequiredService<KeyRing>().GetSigningCredentialsAsync(TestContext.Current.CancellationToken);
        var key = ((Microsoft.IdentityModel.Tokens.ECDsaSecurityKey)credentials.Key).ECDsa;
        header["kid"] = credentials.Key.KeyId;
        return Jwt.Es256(key, header, payload);
    }

    public static string DpopProof(ECDsa key, string htu, string htm = "POST", long? iat = null, string? jti = null, string? accessToken = null, string typ = "dpop+jwt")
    {
        var p = key.ExportParameters(false);
        var header = new Dictionary<string, object?>
        {
            ["typ"] = typ,
            ["alg"] = "ES256",
            ["jwk"] = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) },
        };
        var payload = new Dictionary<string, object?> { ["htm"] = htm, ["htu"] = htu, ["iat"] = iat ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["jti"] = jti ?? Guid.NewGuid().ToString("N") };
        if (accessToken is not null)
        {
            payload["ath"] = Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(accessToken)));
        }

        return Jwt.Es256(key, header, payload);
    }

    public static string Thumbprint(ECDsa key)
    {
        var p = key.ExportParameters(false);
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(p.Q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(p.Q.Y) + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    public async Task<HttpResponseMessage> CompleteAsync(string token, string scheme = "Bearer", string? dpop = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tasks/v1/complete");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        return await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private async Task<HttpResponseMessage> PostTokenAsync(List<(string Name, string Value)> form, string? dpop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth2/token") { Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))) };
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        return await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
