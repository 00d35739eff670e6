using System.Globalization;
using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>
/// The one way anything is revoked: the kind's <see cref="IRevoker"/> ends the thing, every resulting
/// event goes into the ordered revocation log and, durably, into the audit log, the registered
/// <see cref="IRevocationCascade"/>s say what else must end, and this process's stream readers are woken.
/// The answer leaves only after all of that.
/// </summary>
public sealed class RevocationCoordinator
{
    private readonly IWritStore _store;
    private readonly IAuditLog _audit;
    private readonly Dictionary<RevocationKind, IRevoker> _revokers;
    private readonly IReadOnlyList<IRevocationCascade> _cascades;
    private readonly RevocationNotifier _notifier;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the coordinator over the registered revokers (one per kind) and cascades.</summary>
    public RevocationCoordinator(
        IWritStore store,
        IAuditLog audit,
        IEnumerable<IRevoker> revokers,
        IEnumerable<IRevocationCascade> cascades,
        RevocationNotifier notifier,
        RevocationOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(revokers);
        _store = store;
        _audit = audit;
        _revokers = [];
        foreach (var revoker in revokers)
        {
            if (!_revokers.TryAdd(revoker.Kind, revoker))
            {
                throw new ArgumentException($"two revokers are registered for {RevocationKindNames.Of(revoker.Kind)}", nameof(revokers));
            }
        }

        _cascades = [.. cascades];
        _notifier = notifier;
        _options = options;
        _time = time;
    }

    /// <summary>The kinds that can be revoked in this deployment.</summary>
    public IEnumerable<RevocationKind> Kinds => _revokers.Keys.Order();

    /// <summary>The longest token lifetime: how long an event that ends unknown tokens matters.</summary>
    public TimeSpan MaxTokenLifetime => _options.MaxTokenLifetime;

    /// <summary>Revokes what <paramref name="request"/> names and everything it cascades to; reports every event recorded.</summary>
    /// <exception cref="AuditUnavailableException">The audit log could not keep the record (the revocation itself stands).</exception>
    public async Task<AdminResult<RevocationReport>> RevokeAsync(RevocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_revokers.TryGetValue(request.Kind, out var revoker))
        {
            return AdminError.Invalid("unsupported_kind", $"revoking a {RevocationKindNames.Of(request.Kind)} is not available in this version; supported: {string.Join(", ", Kinds.Select(RevocationKindNames.Of))}");
        }

        if (CheckCause(request.Cause) is { } causeError)
        {
            return AdminError.Invalid("invalid_cause", causeError);
        }

        var result = await revoker.RevokeAsync(request, _time.GetUtcNow(), cancellationToken);
        if (result.Error is { } error)
        {
            return error;
        }

        var recorded = new List<RevocationEvent>();
        await RecordAndFollowAsync(result.Events, request, recorded, cancellationToken);
        return new RevocationReport(recorded);
    }

    /// <summary>
    /// Records events for something already ended elsewhere (an agent suspended through the agent API, a
    /// task that completed), then follows the cascades, exactly as <see cref="RevokeAsync"/> would.
    /// </summary>
    public async Task<RevocationReport> RecordAsync(IReadOnlyList<RevocationEvent> events, RevocationRequest cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var recorded = new List<RevocationEvent>();
        await RecordAndFollowAsync(events, cause, recorded, cancellationToken);
        return new RevocationReport(recorded);
    }

    /// <summary>An event for <paramref name="subject"/> at now, mattering for the longest token lifetime.</summary>
    public RevocationEvent NewEvent(RevocationKind kind, string subject, string? cause)
    {
        var now = _time.GetUtcNow();
        return new RevocationEvent(0, now, kind, subject, now + _options.MaxTokenLifetime, cause);
    }

    private async Task RecordAndFollowAsync(IReadOnlyList<RevocationEvent> events, RevocationRequest request, List<RevocationEvent> recorded, CancellationToken cancellationToken)
    {
        var pending = new Queue<(RevocationEvent Event, RevocationRequest Request)>(events.Select(e => (e, request)));
        var seen = new HashSet<(RevocationKind, string)>();
        try
        {
            while (pending.TryDequeue(out var next))
            {
                if (!seen.Add((next.Event.Kind, next.Event.Subject)))
                {
                    continue;
                }

                if (recorded.Count >= _options.MaxCascade)
                {
                    throw new InvalidOperationException($"revocation cascaded into more than {_options.MaxCascade} events; stopped");
                }

                var stored = await _store.RevocationEvents.AppendAsync(next.Event, cancellationToken);
                recorded.Add(stored);
                await _audit.RecordDurableAsync(AuditFor(stored, next.Request), cancellationToken);
                await FollowAsync(stored, next.Request, pending, cancellationToken);
            }
        }
        finally
        {
            if (recorded.Count > 0)
            {
                _notifier.Publish();
            }
        }
    }

    private async Task FollowAsync(RevocationEvent stored, RevocationRequest request, Queue<(RevocationEvent, RevocationRequest)> pending, CancellationToken cancellationToken)
    {
        foreach (var cascade in _cascades)
        {
            foreach (var follow in await cascade.FollowAsync(stored, request, cancellationToken))
            {
                if (!_revokers.TryGetValue(follow.Kind, out var revoker))
                {
                    continue;
                }

                var result = await revoker.RevokeAsync(follow with { ActorOwner = null }, _time.GetUtcNow(), cancellationToken);
                foreach (var revocation in result.Events)
                {
                    pending.Enqueue((revocation, follow));
                }
            }
        }
    }

    private static AuditEvent AuditFor(RevocationEvent revocation, RevocationRequest request)
    {
        var kind = RevocationKindNames.Of(revocation.Kind);
        return new AuditEvent
        {
            Type = AuditEventTypes.Revoked,
            Actor = request.Actor,
            Agent = revocation.Kind == RevocationKind.Agent ? revocation.Subject : null,
            Owner = revocation.Kind == RevocationKind.Owner ? revocation.Subject : null,
            TaskId = revocation.Kind == RevocationKind.Task ? revocation.Subject : null,
            Target = kind + ":" + revocation.Subject,
            Decision = "revoked",
            Reason = revocation.Cause,
            Detail = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["kind"] = kind,
                ["subject"] = revocation.Subject,
                ["event_id"] = revocation.Id.ToString(CultureInfo.InvariantCulture),
                ["expires_at"] = revocation.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
                ["requested"] = RevocationKindNames.Of(request.Kind) + ":" + request.Subject,
            },
        };
    }

    internal static string? CheckCause(string? cause) =>
        cause is { Length: > 200 } || (cause is not null && cause.Any(char.IsControl)) ? "'cause' is at most 200 printable characters" : null;

    internal static bool IsPlausibleSubject(string? subject) =>
        !string.IsNullOrEmpty(subject) && subject.Length <= 512 && !subject.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    internal static AdminError InvalidSubject(RevocationKind kind) =>
        AdminError.Invalid("invalid_subject", $"the {RevocationKindNames.Of(kind)} to revoke must be a non-empty identifier of at most 512 characters without spaces");
}
