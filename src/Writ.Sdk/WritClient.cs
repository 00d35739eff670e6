using System.Security.Cryptography;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>
/// An agent's connection to Writ. It attests, caches the identity token and renews it before it expires
/// (at a jittered point of its lifetime, one renewal at a time however many callers ask), and starts tasks.
/// One instance per agent process; thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var writ = new WritClient(new WritClientOptions
/// {
///     WritUrl = new Uri("http://127.0.0.1:7600"),
///     Attestation = AgentAttestation.RegisteredKey("spiffe://writ.local/agent/research", "research-1", key),
/// });
/// await using var task = await writ.StartTaskAsync(intent, "https://gateway.example");
/// </code>
/// </example>
public sealed class WritClient : IAsyncDisposable
{
    private readonly WritClientOptions options;
    private readonly Lock gate = new();
    private IdentityToken? current;
    private Task<IdentityToken>? renewal;
    private int renewals;

    /// <summary>Creates a client; nothing is sent until a token or task is asked for.</summary>
    public WritClient(WritClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Http = new WritHttp(options.WritUrl!, options.HttpHandler, options.RequestTimeout);
    }

    /// <summary>How many identity tokens this client obtained so far (attestations that succeeded).</summary>
    public int IdentityTokensIssued => Volatile.Read(ref renewals);

    internal WritHttp Http { get; }

    internal HttpMessageHandler? Handler => options.HttpHandler;

    internal TimeProvider Time => options.TimeProvider;

    /// <summary>
    /// A valid identity token for this agent, issued for Writ itself. Cached; renewed once the jittered renewal
    /// point is passed. While a renewal fails and the cached token is still valid, the cached one is returned.
    /// </summary>
    /// <exception cref="WritAttestationException">Attestation was refused, or no method is left to renew with.</exception>
    public async Task<string> GetIdentityTokenAsync(CancellationToken cancellationToken = default)
    {
        var now = options.TimeProvider.GetUtcNow();
        var cached = Volatile.Read(ref current);
        if (cached is not null && now < cached.RenewAt)
        {
            return cached.Token;
        }

        Task<IdentityToken> pending;
        lock (gate)
        {
            cached = current;
            if (cached is not null && now < cached.RenewAt)
            {
                return cached.Token;
            }

            pending = renewal ??= RenewAsync();
        }

        try
        {
            return (await pending.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (Exception ex) when (ex is WritException or HttpRequestException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested
            && cached is not null && options.TimeProvider.GetUtcNow() < cached.ExpiresAt - TimeSpan.FromSeconds(5))
        {
            // Renewal is early on purpose: a refused or unreachable Writ keeps the still-valid token, and the next call tries again.
            return cached.Token;
        }
    }

    /// <summary>
    /// Starts a task: exchanges the identity token for a task token granting <paramref name="intent"/> on
    /// <paramref name="audience"/> (the gateway or API that will receive the calls). Dispose the task to complete it.
    /// </summary>
    /// <exception cref="WritException">Writ refused the intent (error <c>invalid_authorization_details</c> or <c>access_denied</c>).</exception>
    public async Task<AgentTask> StartTaskAsync(TaskIntent intent, string audience, StartTaskOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        options ??= new StartTaskOptions();
        var details = intent.ToAuthorizationDetails();
        var identity = await GetIdentityTokenAsync(cancellationToken).ConfigureAwait(false);
        var endpoints = await Http.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", GrantTypes.TokenExchange),
            new("subject_token", identity),
            new("subject_token_type", GrantTypes.Jwt),
            new("requested_token_type", GrantTypes.TaskToken),
            new("audience", audience),
            new("authorization_details", details),
        };
        if (options.UserToken is { } user)
        {
            form.Add(new("user_token", user));
        }

        var key = options.BindToKey ? DpopKey.Create(this.options.TimeProvider) : null;
        try
        {
            var proof = key?.CreateProof("POST", endpoints.TokenEndpoint);
            var body = await Http.PostTokenAsync(form, proof, static (e, d, s) => new WritException(e, d, s), cancellationToken).ConfigureAwait(false);
            return AgentTask.FromResponse(this, body, audience, key, options.FollowRevocations);
        }
        catch
        {
            key?.Dispose();
            throw;
        }
    }

    /// <summary>Stops nothing in Writ; releases the HTTP resources. Tasks started by this client should be disposed first.</summary>
    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<IdentityToken> RenewAsync()
    {
        // Let the caller leave the lock before the request runs, so this task is stored before it can finish.
        await Task.Yield();
        try
        {
            var attestation = NextAttestation();
            var endpoints = await Http.GetEndpointsAsync(CancellationToken.None).ConfigureAwait(false);
            var grant = await attestation.CreateGrantAsync(new AttestationContext(endpoints.TokenEndpoint.AbsoluteUri, options.TimeProvider), CancellationToken.None).ConfigureAwait(false);
            var form = new List<KeyValuePair<string, string>>(grant) { new("audience", endpoints.Issuer) };
            var body = await Http.PostTokenAsync(form, null, static (e, d, s) => new WritAttestationException(e, d, s), CancellationToken.None).ConfigureAwait(false);
            (attestation as JoinTokenAttestation)?.MarkUsed();
            var token = WritHttp.String(body, "access_token");
            if (string.IsNullOrEmpty(token) || !body.TryGetProperty("expires_in", out var expiresIn) || !expiresIn.TryGetInt64(out var seconds) || seconds <= 0)
            {
                throw new WritAttestationException("server_error", "Writ's token response has no access_token or expires_in");
            }

            var now = options.TimeProvider.GetUtcNow();
            var share = options.RenewEarliest + ((options.RenewLatest - options.RenewEarliest) * RandomNumberGenerator.GetInt32(0, 1001) / 1000.0);
            var issued = new IdentityToken(token, now.AddSeconds(seconds), now.AddSeconds(seconds * share));
            Volatile.Write(ref current, issued);
            Interlocked.Increment(ref renewals);
            return issued;
        }
        finally
        {
            lock (gate)
            {
                renewal = null;
            }
        }
    }

    private AgentAttestation NextAttestation()
    {
        var attestation = options.Attestation!;
        if (attestation is JoinTokenAttestation { Used: true } join)
        {
            return join.RenewWith ?? throw new WritAttestationException(
                "join_token_used",
                "the join token was used for the first identity token and works only once; to renew, give AgentAttestation.JoinToken(token, thenRenewWith: AgentAttestation.RegisteredKey(...)) after an admin registered the agent's key, or attest with an external issuer token");
        }

        return attestation;
    }

    internal static JsonElement? Claims(string token) => Jws.ReadPayload(token);
}
