using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Core.Connections;
using Writ.Core.Identity;
using Writ.Core.Leases;
using Writ.Core.Storage;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Credentials;

/// <summary>
/// The credential injected into an allowed call: a connection's brokered secret (opened in this process,
/// one brokered-secret lease per task and connection, each use counted) or a downstream access token from
/// token exchange (cached per task until shortly before it expires). Neither ever reaches the agent.
/// </summary>
internal sealed class UpstreamCredentials(IWritStore store, ConnectionSecrets secrets, HttpClient http, GatewaySettings settings, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<(string Task, string Connection), string> leases = new();
    private readonly ConcurrentDictionary<(string Jti, string Resource), (string Token, DateTimeOffset Until)> downstream = new();

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
        var connection = await store.Connections.GetAsync(name, cancellationToken);

        // Only the task owner's connections serve the task; a secret kind is required to inject a header.
        if (connection is null || !string.Equals(connection.Owner, task.Owner, StringComparison.Ordinal) || connection.Kind != ConnectionKind.StaticSecret)
        {
            return null;
        }

        var leaseId = await LeaseAsync(connection, task, cancellationToken);
        if (leaseId is null)
        {
            return null;
        }

        var secret = secrets.TryOpen(connection.Id, connection.Secret);
        if (secret is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(secret);
            var header = connection.Settings.HeaderName ?? "Authorization";
            var value = connection.Settings.Scheme is { Length: > 0 } scheme ? scheme + " " + text : text;
            return new UpstreamCredential(header, value, leaseId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private async Task<string?> LeaseAsync(Connection connection, TaskTokenClaims task, CancellationToken cancellationToken)
    {
        var key = (task.TaskId, connection.Name);
        if (leases.TryGetValue(key, out var id))
        {
            var used = await store.Leases.RecordUseAsync(id, cancellationToken);
            if (used.Outcome == StoreOutcome.Success)
            {
                return id;
            }

            // Ended (task over, connection revoked): no new lease for a task whose lease was taken back.
            leases.TryRemove(key, out _);
            return null;
        }

        if (leases.Count >= MaxCached)
        {
            leases.Clear();
        }

        var now = time.GetUtcNow();
        id = "lse_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var lease = Lease.Issue(id, LeaseKind.BrokeredSecret, task.TaskId, task.AgentName, task.Owner, connection.Name, connection.Settings.HeaderName ?? "Authorization", now, task.ExpiresAt, task.ExpiresAt);
        var added = await store.Leases.AddAsync(lease, cancellationToken);
        if (added.Outcome != StoreOutcome.Success)
        {
            return null;
        }

        await store.Leases.RecordUseAsync(id, cancellationToken);
        leases[key] = id;
        return id;
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
