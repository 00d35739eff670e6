using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// A real OAuth 2.0 token endpoint on loopback for the client credentials grant: it checks the client's
/// credentials (HTTP Basic or in the body), records every request, and answers what the test sets.
/// </summary>
internal sealed class UpstreamTokenServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int issued;

    private UpstreamTokenServer(WebApplication app) => this.app = app;

    public string TokenEndpoint { get; private set; } = string.Empty;

    public ConcurrentQueue<UpstreamTokenRequest> Requests { get; } = new();

    public string ClientId { get; init; } = "writ-client";

    public string ClientSecret { get; init; } = string.Empty;

    /// <summary>The <c>expires_in</c> of issued tokens; null leaves it out.</summary>
    public long? ExpiresIn { get; set; } = 300;

    public string TokenType { get; set; } = "Bearer";

    /// <summary>When set, every request is answered with this status and body.</summary>
    public (int Status, string Body)? Failure { get; set; }

    public static async Task<UpstreamTokenServer> StartAsync(string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new UpstreamTokenServer(builder.Build()) { ClientSecret = clientSecret };
        server.app.MapPost("/oauth/token", (Func<HttpContext, Task<IResult>>)server.TokenAsync);
        await server.app.StartAsync(TestContext.Current.CancellationToken);
        server.TokenEndpoint = server.app.Urls.First() + "/oauth/token";
        return server;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var request = new UpstreamTokenRequest(
            http.Request.Headers.Authorization.ToString(),
            form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal));
        Requests.Enqueue(request);
        if (Failure is { } failure)
        {
            return Results.Text(failure.Body, "application/json", statusCode: failure.Status);
        }

        if (request.Form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        var (id, secret) = request.BasicCredentials() ?? (request.Form.GetValueOrDefault("client_id"), request.Form.GetValueOrDefault("client_secret"));
        if (id != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client", error_description = "client authentication failed" }, statusCode: 401);
        }

        var token = "upstream-at-" + Interlocked.Increment(ref issued);
        return ExpiresIn is { } expires
            ? Results.Json(new { access_token = token, token_type = TokenType, expires_in = expires })
            : Results.Json(new { access_token = token, token_type = TokenType });
    }
}

/// <summary>One request the token endpoint received.</summary>
internal sealed record UpstreamTokenRequest(string Authorization, IReadOnlyDictionary<string, string> Form)
{
    public (string? Id, string? Secret)? BasicCredentials()
    {
        if (!Authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(Authorization["Basic ".Length..]));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return (Uri.UnescapeDataString(pair[..colon].Replace('+', ' ')), Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' ')));
    }
}
