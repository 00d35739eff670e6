using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Revocation;

/// <summary>A running server with owner alice, agent research, a gateway client, and helpers to get, introspect and revoke tokens.</summary>
internal sealed class RevocationFixture : IAsyncDisposable
{
    public const string Audience = "https://tools.example";

    private RevocationFixture(WritHost host, string clientSecret)
    {
        Host = host;
        ClientSecret = clientSecret;
    }

    public WritHost Host { get; }

    public string ClientSecret { get; }

    public AuthenticationHeaderValue ClientBasic =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("gateway:" + Uri.EscapeDataString(ClientSecret))));

    public static async Task<RevocationFixture> StartAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var client = await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "gateway", authMethod = "client_secret" });
        return new RevocationFixture(host, client["clientSecret"]!.GetValue<string>());
    }

    public async Task<string> IdentityTokenAsync(string agent = "research")
    {
        var joinToken = await Host.CreateJoinTokenAsync(agent);
        using var response = await Host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", Audience));
        var body = await WritHost.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<bool> IsActiveAsync(string token)
    {
        using var response = await Host.PostFormAsync("oauth2/introspect", [new("token", token)], ClientBasic);
        Assert.True(response.IsSuccessStatusCode);
        return (await WritHost.JsonAsync(response))["active"]!.GetValue<bool>();
    }

    public async Task<JsonArray> RevokeAsync(string kind, string id, string? token = null)
    {
        var body = await Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind, id, cause = "test" }, token);
        return body["ended"]!.AsArray();
    }

    public static string Jti(string token) => JwtPayload(token).GetProperty("jti").GetString()!;

    public static string Kid(string token) =>
        JsonDocument.Parse(Base64UrlDecode(token.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;

    public static JsonElement JwtPayload(string token) => JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1])).RootElement;

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
