using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Connections;

namespace Writ.Core.Leases;

/// <summary>
/// Access tokens from upstream authorization servers for <c>oauth_client_credentials</c> connections
/// (RFC 6749 §4.4): one token per connection and secret version, shared by every task that draws on the
/// connection, cached until <see cref="BrokeredSecretsOptions.UpstreamTokenMargin"/> before its
/// <c>expires_in</c> and never beyond it. Concurrent callers wait for one request. The client secret
/// leaves only in the request to the configured token endpoint.
/// </summary>
internal sealed class UpstreamTokens(HttpClient http, ConnectionSecrets secrets, IAuditLog audit, BrokeredSecretsOptions options, TimeProvider time)
{
    private const int MaxResponseBytes = 64 * 1024;
    private const int MaxTokenLength = 16 * 1024;
    private readonly ConcurrentDictionary<string, Lazy<Task<Fetched>>> inflight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedToken> cache = new(StringComparer.Ordinal);

    private long requests;

    /// <summary>How many tokens were requested upstream.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>The header value (<c>Bearer …</c>) for a call through <paramref name="connection"/> under <paramref name="lease"/>, or why not.</summary>
    public async Task<(string? Value, LeaseError? Error)> GetAsync(Connection connection, Lease lease, CancellationToken cancellationToken)
    {
        var key = Key(connection);
        if (cache.TryGetValue(key, out var cached) && cached.UseUntil > time.GetUtcNow())
        {
            return ("Bearer " + cached.Token, null);
        }

        var lazy = inflight.GetOrAdd(key, _ => new Lazy<Task<Fetched>>(() => FetchAndRecordAsync(connection, lease)));
        Fetched fetched;
        try
        {
            fetched = await lazy.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompleted)
            {
                inflight.TryRemove(new KeyValuePair<string, Lazy<Task<Fetched>>>(key, lazy));
            }
        }

        if (fetched.Error is not null)
        {
            return (null, fetched.Error);
        }

        if (fetched.UseUntil is { } until)
        {
            if (cache.Count >= options.MaxCachedUpstreamTokens)
            {
                Sweep();
            }

            cache[key] = new CachedToken(fetched.Token!, until);
        }

        return ("Bearer " + fetched.Token, null);
    }

    /// <summary>Drops the cached tokens of <paramref name="connectionName"/> (revoked, rotated or removed).</summary>
    public void Forget(string connectionName)
    {
        foreach (var key in cache.Keys)
        {
            if (key.StartsWith(connectionName + "\n", StringComparison.Ordinal))
            {
                cache.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Drops tokens that can no longer be used.</summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, token) in cache)
        {
            if (token.UseUntil <= now)
            {
                cache.TryRemove(new KeyValuePair<string, CachedToken>(key, token));
            }
        }
    }

    // A rotated secret (or a new connection under the same name) gets its own token.
    private static string Key(Connection connection) =>
        connection.Name + "\n" + connection.Id + "\n" + Convert.ToHexStringLower(SHA256.HashData(connection.Secret.Ciphertext));

    // Fetching a credential upstream is recorded like issuing one: durably when it worked (no unrecorded token is
    // used), best effort when it was refused (the gateway records the refused call as well).
    private async Task<Fetched> FetchAndRecordAsync(Connection connection, Lease lease)
    {
        await Task.Yield();
        var fetched = await FetchAsync(connection, CancellationToken.None);
        var record = new AuditEvent
        {
            Type = AuditEventTypes.LeaseUsed,
            Agent = lease.Agent,
            Owner = lease.Owner,
            TaskId = lease.TaskId,
            Target = "connection:" + connection.Name,
            Decision = fetched.Error is null ? "upstream_token" : "upstream_refused",
            Reason = fetched.Error?.Detail,
            Detail = new Dictionary<string, string>
            {
                ["lease"] = lease.Id,
                ["kind"] = LeaseNames.Of(lease.Kind),
                ["tokenEndpoint"] = connection.Settings.TokenEndpoint ?? string.Empty,
                ["useUntil"] = fetched.UseUntil?.ToString("O", CultureInfo.InvariantCulture) ?? "not cached",
            },
        };
        if (fetched.Error is null)
        {
            await audit.RecordDurableAsync(record, CancellationToken.None);
        }
        else
        {
            await audit.RecordAsync(record, CancellationToken.None);
        }

        return fetched;
    }

    private async Task<Fetched> FetchAsync(Connection connection, CancellationToken cancellationToken)
    {
        var settings = connection.Settings;
        if (settings.TokenEndpoint is not { } endpoint || settings.ClientId is not { } clientId)
        {
            return Fetched.Failed(new LeaseError("connection_misconfigured", $"connection '{connection.Name}' lacks a token endpoint or client id"));
        }

        var secretBytes = secrets.TryOpen(connection.Id, connection.Secret);
        if (secretBytes is null)
        {
            return Fetched.Failed(new LeaseError("secret_unreadable", $"the client secret of connection '{connection.Name}' cannot be decrypted with the configured KEKs"));
        }

        string secret;
        try
        {
            secret = Encoding.UTF8.GetString(secretBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
        }

        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (settings.Scopes is { Count: > 0 } scopes)
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        if (settings.Audience is { } audience)
        {
            form.Add(new("audience", audience));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        if (settings.AuthMethod == "client_secret_post")
        {
            form.Add(new("client_id", clientId));
            form.Add(new("client_secret", secret));
        }
        else
        {
            // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined and base64-encoded.
            var pair = Uri.EscapeDataString(clientId).Replace("%20", "+", StringComparison.Ordinal) + ":" + Uri.EscapeDataString(secret).Replace("%20", "+", StringComparison.Ordinal);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var requestedAt = time.GetUtcNow();
        Interlocked.Increment(ref requests);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.UpstreamTimeout);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadBoundedAsync(response, timeout.Token);
            return response.IsSuccessStatusCode
                ? Parse(connection.Name, body, requestedAt)
                : Fetched.Failed(Refusal(connection.Name, response.StatusCode, body));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or TimeoutException)
        {
            // Exception messages of the HTTP stack name the host and the failure, never the request body.
            return Fetched.Failed(new LeaseError("upstream_unavailable", $"the token endpoint of connection '{connection.Name}' could not be reached ({ex.GetType().Name})", Unavailable: true));
        }
    }

    private Fetched Parse(string connection, byte[]? body, DateTimeOffset requestedAt)
    {
        try
        {
            using var json = JsonDocument.Parse(body ?? [], new JsonDocumentOptions { MaxDepth = 16 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String
                || tokenElement.GetString() is not { Length: > 0 and <= MaxTokenLength } token
                || token.Any(c => c < '\x21' || c > '\x7E'))
            {
                return Fetched.Failed(new LeaseError("upstream_invalid_response", $"the token endpoint of connection '{connection}' answered without a usable access_token"));
            }

            if (!root.TryGetProperty("token_type", out var type) || type.ValueKind != JsonValueKind.String || !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return Fetched.Failed(new LeaseError("upstream_invalid_response", $"the token endpoint of connection '{connection}' issued a token that is not of type Bearer; only bearer tokens can be injected"));
            }

            DateTimeOffset? useUntil = null;
            if (root.TryGetProperty("expires_in", out var expires))
            {
                var seconds = expires.ValueKind switch
                {
                    JsonValueKind.Number when expires.TryGetInt64(out var n) => n,
                    JsonValueKind.String when long.TryParse(expires.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
                    _ => -1,
                };
                if (seconds < 0)
                {
                    return Fetched.Failed(new LeaseError("upstream_invalid_response", $"the token endpoint of connection '{connection}' answered a malformed expires_in"));
                }

                // Counted from the request, not the answer, so a slow answer cannot stretch the token's life here.
                var lifetime = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
                var margin = TimeSpan.FromTicks(Math.Min(options.UpstreamTokenMargin.Ticks, lifetime.Ticks / 5));
                var until = requestedAt + lifetime - margin;
                useUntil = until > time.GetUtcNow() ? until : null;
            }

            return new Fetched(token, useUntil, null);
        }
        catch (JsonException)
        {
            return Fetched.Failed(new LeaseError("upstream_invalid_response", $"the token endpoint of connection '{connection}' answered something other than JSON"));
        }
    }

    private static LeaseError Refusal(string connection, HttpStatusCode status, byte[]? body)
    {
        string? error = null;
        string? description = null;
        try
        {
            using var json = JsonDocument.Parse(body ?? [], new JsonDocumentOptions { MaxDepth = 16 });
            error = Printable(json.RootElement, "error", 64);
            description = Printable(json.RootElement, "error_description", 200);
        }
        catch (JsonException)
        {
        }

        var detail = $"the token endpoint of connection '{connection}' refused the client credentials grant with {(int)status}"
            + (error is null ? string.Empty : " " + error)
            + (description is null ? string.Empty : ": " + description);
        return new LeaseError("upstream_refused", detail, Unavailable: (int)status >= 500 || status == HttpStatusCode.TooManyRequests);
    }

    private static string? Printable(JsonElement root, string name, int max) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text
            ? new string([.. text.Take(max).Select(c => c is >= ' ' and <= '~' ? c : '?')])
            : null;

    private static async Task<byte[]?> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > MaxResponseBytes ? null : buffer[..total];
    }

    private sealed record CachedToken(string Token, DateTimeOffset UseUntil);

    private sealed record Fetched(string? Token, DateTimeOffset? UseUntil, LeaseError? Error)
    {
        public static Fetched Failed(LeaseError error) => new(null, null, error);
    }
}
