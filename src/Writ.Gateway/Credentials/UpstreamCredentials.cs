using System.Collections.Concurrent;
using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Core.Leases;
using Writ.Core.Revocation;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Credentials;

/// <summary>
/// The credential injected into an allowed call: a connection's brokered secret (opened in this process,
/// through <see cref="BrokeredSecrets"/>: one lease per task and connection, held in memory until a revocation names it) or a downstream access token from
/// token exchange (cached per task until shortly before it expires). Neither ever reaches the agent.
/// </summary>
internal sealed class UpstreamCredentials(BrokeredSecrets brokered, RevocationSubscriber revocations, HttpClient http, GatewaySettings settings, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<(string Jti, string Resource), (string Token, DateTimeOffset Until)> downstream = new();
    private readonly BrokeredSecrets brokered = brokered.Following(revocations);

    /// <summary>The header to inject (name, value), none, or null when the credential is unavailable (the call is refused).</summary>
    public async Task<UpstreamCredential?> GetAsync(GatewayRoute route, TaskTokenClaims task, string taskToken, CancellationToken cancellationToken)
    {
        switch (route.Credential)
        {
            case CredentialKind.Connection:
                return await BrokeredAsync(route.Connection!, task, cancellationToken);
            case CredentialKind.TokenExchange:
                return await ExchangeAsync(route.Resource!, task, taskToken, cancellationToken);
            default:
                return UpstreamCredential.None;
        }
    }

    private async Task<UpstreamCredential?> BrokeredAsync(string name, TaskTokenClaims task, CancellationToken cancellationToken)
    {
        try
        {
            var (credential, _) = await brokered.ResolveAsync(new LeaseRequest(task.TaskId, task.AgentName, task.Owner, task.ExpiresAt, name), cancellationToken);
            return credential is null ? null : new UpstreamCredential(credential.HeaderName, credential.HeaderValue, credential.LeaseId);
        }
        catch (AuditUnavailableException)
        {
            // A lease that cannot be recorded is not used.
            return null;
        }
    }

    private async Task<UpstreamCredential?> ExchangeAsync(string resource, TaskTokenClaims task, string taskToken, CancellationToken cancellationToken)
    {
        var key = (task.Jti, resource);
        var now = time.GetUtcNow();
        if (downstream.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return new UpstreamCredential("Authorization", "Bearer " + cached.Token, null);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", TokenTypes.TokenExchangeGrant),
                new("subject_token", taskToken),
                new("subject_token_type", TokenTypes.TaskToken),
                new("resource", resource),
            ]),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        if (!body.RootElement.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var lifetime = body.RootElement.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) ? seconds : 60;
        if (downstream.Count >= MaxCached)
        {
            downstream.Clear();
        }

        downstream[key] = (token.GetString()!, now + TimeSpan.FromSeconds(Math.Max(0, lifetime - 30)));
        return new UpstreamCredential("Authorization", "Bearer " + token.GetString(), null);
    }
}

/// <summary>A header to inject into the upstream request; <see cref="None"/> injects nothing.</summary>
internal sealed record UpstreamCredential(string? Header, string? Value, string? LeaseId)
{
    public static readonly UpstreamCredential None = new(null, null, null);
}
