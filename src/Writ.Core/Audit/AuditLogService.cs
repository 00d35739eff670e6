using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// The audit log of one process, started on first use: it loads the audit signing key (creating it
/// once per database, sealed under the root key) and then runs an <see cref="AuditLog"/>. Until the
/// key is loaded nothing is recorded; a failure to load it makes every record fail closed.
/// </summary>
public sealed class AuditLogService : IClaimingAuditLog, IAsyncDisposable
{
    private readonly IAuditStore _store;
    private readonly RootKey _rootKey;
    private readonly string _origin;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly IAuditObserver? _observer;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private volatile Started? _started;
    private bool _stopped;
    private int _disposed;

    /// <summary>
    /// A log over <paramref name="store"/> whose checkpoints name <paramref name="origin"/>
    /// (a schema-less URL such as <c>acme.test/audit</c>).
    /// </summary>
    public AuditLogService(IAuditStore store, RootKey rootKey, string origin, AuditOptions options, TimeProvider time, IAuditObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _store = store;
        _rootKey = rootKey;
        _origin = origin;
        _options = options;
        _time = time;
        _observer = observer;
    }

    /// <summary>The options the log runs with.</summary>
    public AuditOptions Options => _options;

    /// <summary>The store the log writes to.</summary>
    public IAuditStore Store => _store;

    /// <inheritdoc />
    public async Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await (await StartAsync(cancellationToken)).Log.RecordDurableAsync(auditEvent, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordDurableClaimingAsync(ReplayClaim claim, AuditEvent whenFirst, AuditEvent whenReplayed, CancellationToken cancellationToken)
    {
        // Every issuance passes here: once started, hand over the log's own task without a state machine of ours.
        var started = _started;
        return started is not null
            ? started.Log.RecordDurableClaimingAsync(claim, whenFirst, whenReplayed, cancellationToken)
            : RecordDurableClaimingAfterStartAsync(claim, whenFirst, whenReplayed, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var started = _started;
        return started is not null ? started.Log.RecordAsync(auditEvent, cancellationToken) : RecordAfterStartAsync(auditEvent, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask RecordFollowUpAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await (await StartAsync(cancellationToken)).Log.RecordFollowUpAsync(auditEvent, cancellationToken);

    /// <summary>The public key verifiers check checkpoints with.</summary>
    /// <exception cref="AuditUnavailableException">The key cannot be loaded.</exception>
    public async Task<AuditVerifierKey> GetVerifierKeyAsync(CancellationToken cancellationToken) =>
        (await StartAsync(cancellationToken)).Key.VerifierKey;

    /// <summary>Loads the key and starts the writer now (at the latest, the first record does).</summary>
    /// <exception cref="AuditUnavailableException">The key cannot be loaded or created.</exception>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken) => await StartAsync(cancellationToken);

    /// <summary>Flushes and stops the writer; later records are refused.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1 && _stopped)
        {
            return;
        }

        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (_started is { } started)
            {
                await started.Log.StopAsync(cancellationToken);
                started.Key.Dispose();
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync(CancellationToken.None);
            _starting.Dispose();
        }
    }

    private async Task<bool> RecordDurableClaimingAfterStartAsync(ReplayClaim claim, AuditEvent whenFirst, AuditEvent whenReplayed, CancellationToken cancellationToken) =>
        await (await StartAsync(cancellationToken)).Log.RecordDurableClaimingAsync(claim, whenFirst, whenReplayed, cancellationToken);

    private async ValueTask RecordAfterStartAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await (await StartAsync(cancellationToken)).Log.RecordAsync(auditEvent, cancellationToken);

    private async ValueTask<Started> StartAsync(CancellationToken cancellationToken)
    {
        if (_started is { } started)
        {
            return started;
        }

        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                throw new AuditUnavailableException("the audit log is stopped");
            }

            if (_started is null)
            {
                var key = await LoadKeyAsync(cancellationToken);
                _started = new Started(key, new AuditLog(_store, new SigningKeyCheckpointSigner(key), _options, _time, _observer));
            }

            return _started;
        }
        catch (Exception ex) when (ex is not (AuditUnavailableException or OperationCanceledException or OutOfMemoryException))
        {
            throw new AuditUnavailableException("the audit signing key cannot be loaded", ex);
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<AuditSigningKey> LoadKeyAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.GetSigningKeyAsync(cancellationToken);
        if (stored is null)
        {
            using var fresh = AuditSigningKey.Generate(_origin);
            var candidate = new StoredAuditKey(fresh.Name, fresh.VerifierKey.PublicKey.ToArray(), fresh.ExportProtected(_rootKey), _time.GetUtcNow());

            // Another process may have created the key first; everyone uses the stored one.
            stored = await _store.GetOrAddSigningKeyAsync(candidate, cancellationToken);
        }

        return AuditSigningKey.ImportProtected(stored.Name, stored.PublicKey, stored.ProtectedPrivateKey, _rootKey);
    }

    private sealed record Started(AuditSigningKey Key, AuditLog Log);
}
