using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Revocation;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Resolves a <c>static_secret</c> or <c>oauth_client_credentials</c> connection for a verified task inside the
/// enforcement point (in process, no API): one brokered_secret lease per task and connection, bounded like every
/// lease. The caller has validated the task token and the call's decision.
/// <para>
/// The hot path writes nothing: the lease is opened (stored and durably audited) on a task's first use of the
/// connection and then held in memory until it expires or a revocation names its task, agent, owner, connection or
/// itself (<see cref="Forget(RevocationEvent)"/>, fed from the revocation stream). Uses are counted in memory and
/// added to the stored lease every <see cref="BrokeredSecretsOptions.FlushInterval"/> with one <c>lease.used</c>
/// summary record; the per-call record is the enforcement point's own (its tool call record names the lease).
/// </para>
/// </summary>
public sealed class BrokeredSecrets : IAsyncDisposable
{
    private readonly IWritStore store;
    private readonly ConnectionSecrets secrets;
    private readonly IAuditLog audit;
    private readonly TimeProvider time;
    private readonly BrokeredSecretsOptions options;
    private readonly UpstreamTokens upstream;
    private readonly HttpClient? ownedHttp;
    private readonly ConcurrentDictionary<(string TaskId, string Connection), HeldLease> held = new();
    private readonly ConcurrentDictionary<string, (Connection? Connection, DateTimeOffset ReadAt)> connections = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HeldLease> evicted = new();
    private readonly SemaphoreSlim opening = new(1, 1);
    private readonly SemaphoreSlim flushing = new(1, 1);
    private readonly ITimer timer;
    private long generation;

    /// <summary>Creates the service with default options.</summary>
    public BrokeredSecrets(IWritStore store, ConnectionSecrets secrets, IAuditLog audit, TimeProvider time)
        : this(store, secrets, audit, time, new BrokeredSecretsOptions())
    {
    }

    /// <summary>Creates the service.</summary>
    public BrokeredSecrets(IWritStore store, ConnectionSecrets secrets, IAuditLog audit, TimeProvider time, BrokeredSecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.secrets = secrets;
        this.audit = audit;
        this.time = time;
        this.options = options;
        var http = options.UpstreamHttp;
        if (http is null)
        {
            ownedHttp = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = options.UpstreamTimeout }) { Timeout = options.UpstreamTimeout };
            http = ownedHttp;
        }

        upstream = new UpstreamTokens(http, secrets, audit, options, time);
        timer = time.CreateTimer(static state => _ = ((BrokeredSecrets)state!).FlushQuietlyAsync(), this, options.FlushInterval, options.FlushInterval);
    }

    /// <summary>How many access tokens were requested from upstream authorization servers so far.</summary>
    public long UpstreamTokenRequests => upstream.Requests;

    /// <summary>The header to inject for this call, or why not.</summary>
    public async Task<(BrokeredCredential? Credential, LeaseError? Error)> ResolveAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = await ConnectionAsync(request.Connection, cancellationToken);
        if (connection is null || !string.Equals(connection.Owner, request.Owner, StringComparison.Ordinal))
        {
            return (null, new LeaseError("connection_not_found", $"connection '{request.Connection}' does not exist for owner '{request.Owner}'"));
        }

        var header = connection.Kind switch
        {
            ConnectionKind.StaticSecret => connection.Settings.HeaderName,
            ConnectionKind.OAuthClientCredentials => "Authorization",
            _ => null,
        };
        if (header is null)
        {
            return (null, new LeaseError("wrong_connection_kind", $"connection '{request.Connection}' is {ConnectionKinds.Of(connection.Kind)}; only static_secret and oauth_client_credentials connections are brokered"));
        }

        var now = time.GetUtcNow();
        var key = (request.TaskId, connection.Name);
        if (!held.TryGetValue(key, out var lease) || !lease.Usable(connection, now))
        {
            var (opened, error) = await OpenAsync(request, connection, header, key, cancellationToken);
            if (opened is null)
            {
                return (null, error);
            }

            lease = opened;
        }

        var (value, valueError) = connection.Kind == ConnectionKind.StaticSecret
            ? StaticValue(connection)
            : await upstream.GetAsync(connection, lease.Lease, cancellationToken);
        if (value is null)
        {
            return (null, valueError);
        }

        Interlocked.Increment(ref lease.Pending);
        return (new BrokeredCredential(header, value, lease.Lease.Id), null);
    }

    /// <summary>
    /// Drops what a revocation ends from memory, so the next use reads the store (and finds the lease revoked).
    /// Wire it to the enforcement point's revocation subscriber or the server's revocation feed.
    /// </summary>
    public void Forget(RevocationEvent revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        Interlocked.Increment(ref generation);
        Func<HeldLease, bool>? matches = revocation.Kind switch
        {
            RevocationKind.Task => l => l.Lease.TaskId == revocation.Subject,
            RevocationKind.Lease => l => l.Lease.Id == revocation.Subject,
            RevocationKind.Connection => l => l.Lease.Connection == revocation.Subject,
            RevocationKind.Owner => l => l.Lease.Owner == revocation.Subject,
            RevocationKind.Agent => l => revocation.Subject.EndsWith("/agent/" + l.Lease.Agent, StringComparison.Ordinal),
            _ => null,
        };
        if (revocation.Kind == RevocationKind.Connection)
        {
            connections.TryRemove(revocation.Subject, out _);
            upstream.Forget(revocation.Subject);
        }

        if (matches is null)
        {
            return;
        }

        foreach (var (key, lease) in held)
        {
            if (matches(lease))
            {
                Evict(key, lease);
            }
        }
    }

    /// <summary>Drops <paramref name="lease"/> from memory (it is being ended in this process).</summary>
    public void Forget(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Forget(new RevocationEvent(0, time.GetUtcNow(), RevocationKind.Lease, lease.Id, lease.ExpiresAt, null));
    }

    /// <summary>Follows <paramref name="revoker"/>: a lease ended in this process leaves memory before the store changes.</summary>
    public BrokeredSecrets Following(LeaseRevoker revoker)
    {
        ArgumentNullException.ThrowIfNull(revoker);
        revoker.Ending += Forget;
        return this;
    }

    /// <summary>Follows <paramref name="subscriber"/>: every revocation it applies is forgotten here too. Returns this service.</summary>
    public BrokeredSecrets Following(RevocationSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        subscriber.Applied += Forget;
        return this;
    }

    /// <summary>Follows this process's <paramref name="feed"/> (the control plane's own revocation log reader).</summary>
    public BrokeredSecrets Following(RevocationFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        feed.Subscribe(batch =>
        {
            foreach (var revocation in batch)
            {
                Forget(revocation);
            }
        });
        return this;
    }

    /// <summary>
    /// Adds the uses counted in memory to the stored leases (one <c>lease.used</c> record per lease with uses),
    /// and drops leases that expired. Runs every <see cref="BrokeredSecretsOptions.FlushInterval"/> and at disposal.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await flushing.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var due = new List<HeldLease>();
            while (evicted.TryDequeue(out var gone))
            {
                due.Add(gone);
            }

            foreach (var (key, lease) in held)
            {
                if (lease.Lease.ExpiresAt <= now)
                {
                    Evict(key, lease);
                    while (evicted.TryDequeue(out var gone))
                    {
                        due.Add(gone);
                    }
                }
                else
                {
                    due.Add(lease);
                }
            }

            foreach (var lease in due)
            {
                var count = Interlocked.Exchange(ref lease.Pending, 0);
                if (count == 0)
                {
                    continue;
                }

                try
                {
                    var added = await store.Leases.AddUsesAsync(lease.Lease.Id, count, cancellationToken);
                    if (added.Value is { } stored)
                    {
                        await audit.RecordAsync(UsedEvent(stored, count), cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Counted again at the next flush rather than lost.
                    Interlocked.Add(ref lease.Pending, count);
                    if (!held.ContainsKey((lease.Lease.TaskId, lease.Lease.Connection!)))
                    {
                        evicted.Enqueue(lease);
                    }

                    throw;
                }
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    /// <summary>Stops the flush timer and writes the uses still counted in memory.</summary>
    public async ValueTask DisposeAsync()
    {
        await timer.DisposeAsync();
        try
        {
            foreach (var (key, lease) in held)
            {
                Evict(key, lease);
            }

            await FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Shutting down with the store gone: the enforcement point's call records still hold every use.
        }

        ownedHttp?.Dispose();
        opening.Dispose();
        flushing.Dispose();
    }

    private static AuditEvent IssuedEvent(Lease lease) => new()
    {
        Type = AuditEventTypes.LeaseIssued,
        Agent = lease.Agent,
        Owner = lease.Owner,
        TaskId = lease.TaskId,
        Target = "connection:" + lease.Connection,
        Decision = "issued",
        Detail = new Dictionary<string, string>
        {
            ["lease"] = lease.Id,
            ["kind"] = LeaseNames.Of(lease.Kind),
            ["expiresAt"] = lease.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
        },
    };

    private static AuditEvent UsedEvent(Lease lease, long count) => new()
    {
        Type = AuditEventTypes.LeaseUsed,
        Agent = lease.Agent,
        Owner = lease.Owner,
        TaskId = lease.TaskId,
        Target = "connection:" + lease.Connection,
        Decision = "used",
        Detail = new Dictionary<string, string>
        {
            ["lease"] = lease.Id,
            ["kind"] = LeaseNames.Of(lease.Kind),
            ["added"] = count.ToString(CultureInfo.InvariantCulture),
            ["uses"] = lease.Uses.ToString(CultureInfo.InvariantCulture),
        },
    };

    private (string? Value, LeaseError? Error) StaticValue(Connection connection)
    {
        var plaintext = secrets.TryOpen(connection.Id, connection.Secret);
        if (plaintext is null)
        {
            return (null, new LeaseError("secret_unreadable", $"the secret of connection '{connection.Name}' cannot be decrypted with the configured KEKs"));
        }

        try
        {
            var secret = Encoding.UTF8.GetString(plaintext);
            return (connection.Settings.Scheme is { } scheme ? scheme + " " + secret : secret, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task<Connection?> ConnectionAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (connections.TryGetValue(name, out var cached) && now - cached.ReadAt < options.ConnectionRefresh && now >= cached.ReadAt)
        {
            return cached.Connection;
        }

        var seen = Interlocked.Read(ref generation);
        var connection = name.Length > 128 ? null : await store.Connections.GetAsync(name, cancellationToken);
        if (connection is not null && seen == Interlocked.Read(ref generation))
        {
            if (connections.Count >= options.MaxCachedLeases)
            {
                connections.Clear();
            }

            connections[name] = (connection, now);
        }

        return connection;
    }

    // The slow path, once per task and connection: find or open the lease in the store. One at a time, so two
    // concurrent first calls of a task do not open two leases.
    private async Task<(HeldLease? Lease, LeaseError? Error)> OpenAsync(LeaseRequest request, Connection connection, string header, (string, string) key, CancellationToken cancellationToken)
    {
        await opening.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (held.TryGetValue(key, out var current))
            {
                if (current.Usable(connection, now))
                {
                    return (current, null);
                }

                Evict(key, current);
            }

            var seen = Interlocked.Read(ref generation);
            var existing = (await store.Leases.ListAsync(new LeaseQuery(null, request.TaskId, connection.Name, request.Owner, 100), cancellationToken))
                .Where(l => l.Kind == LeaseKind.BrokeredSecret)
                .ToList();

            // A lease revoked by a human or a cascade stays revoked for the task: no fresh lease behind its back.
            if (existing.Any(l => l.State is LeaseState.Revoked or LeaseState.FailedRevocation))
            {
                return (null, new LeaseError("lease_revoked", $"the task's lease on connection '{connection.Name}' was revoked"));
            }

            var lease = existing.FirstOrDefault(l => l.State == LeaseState.Active && l.ExpiresAt > now);
            if (lease is null)
            {
                if (LeaseLimits.Compute(request, connection, now, out var expiresAt, out var notAfter) is { } limitError)
                {
                    return (null, limitError);
                }

                lease = Lease.Issue("lse_" + RandomToken.Create(16), LeaseKind.BrokeredSecret, request.TaskId, request.Agent, request.Owner, connection.Name, header, now, expiresAt, notAfter);
                await store.Leases.AddAsync(lease, cancellationToken);
                await audit.RecordDurableAsync(IssuedEvent(lease), cancellationToken);
            }

            var opened = new HeldLease(lease, connection.Id);

            // A revocation that arrived while the store was read may name this lease: use it for this call, hold it not.
            if (seen == Interlocked.Read(ref generation))
            {
                if (held.Count >= options.MaxCachedLeases)
                {
                    foreach (var (oldKey, old) in held.OrderBy(p => p.Value.Lease.ExpiresAt).Take(held.Count / 10 + 1))
                    {
                        Evict(oldKey, old);
                    }
                }

                held[key] = opened;
            }
            else
            {
                evicted.Enqueue(opened);
            }

            return (opened, null);
        }
        finally
        {
            opening.Release();
        }
    }

    private void Evict((string, string) key, HeldLease lease)
    {
        if (held.TryRemove(new KeyValuePair<(string, string), HeldLease>(key, lease)))
        {
            evicted.Enqueue(lease);
        }
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store or audit log is down; the counts stay in memory and the next tick tries again.
        }
    }

    private sealed class HeldLease(Lease lease, string connectionId)
    {
        public long Pending;

        public Lease Lease { get; } = lease;

        public bool Usable(Connection connection, DateTimeOffset now) => Lease.ExpiresAt > now && connectionId == connection.Id;
    }
}
