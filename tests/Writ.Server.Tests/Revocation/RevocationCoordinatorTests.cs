using Microsoft.Extensions.Time.Testing;
using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Storage.Sqlite;

namespace Writ.Server.Tests.Revocation;

/// <summary>The coordinator over a real SQLite store; the audit log is a recorder (or one that fails, to check fail-closed).</summary>
public sealed class RevocationCoordinatorTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-revocation-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private SqliteWritStore _store = null!;
    private KeyRing _keys = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = SqliteWritStore.ForDataDirectory(_directory);
        await _store.MigrateAsync(Ct);
        _keys = new KeyRing(_store.SigningKeys, Core.Keys.RootKey.Generate(), new KeyRingOptions { PublishDelay = TimeSpan.Zero }, _time);
        await _keys.InitializeAsync(Ct);
        await _store.Owners.AddAsync(new Core.Domain.Owner("alice", null, null, _time.GetUtcNow()), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _keys.Dispose();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private RevocationCoordinator Coordinator(IAuditLog audit, RevocationNotifier? notifier = null, params IRevocationCascade[] cascades)
    {
        var options = new RevocationOptions();
        return new RevocationCoordinator(_store, audit, [.. BuiltInRevokers.Create(_store, _keys, options), new FakeTaskRevoker(options)], cascades, notifier ?? new RevocationNotifier(), options, _time);
    }

    [Fact]
    public async Task EveryRecordedEvent_IsAuditedDurably_WithActorAndCause()
    {
        var audit = new RecordingAuditLog();

        var result = await Coordinator(audit).RevokeAsync(new RevocationRequest(RevocationKind.Token, "jti-1", "ops", Cause: "leaked"), Ct);

        Assert.True(result.Succeeded);
        var record = Assert.Single(audit.Durable);
        Assert.Equal(AuditEventTypes.Revoked, record.Type);
        Assert.Equal("ops", record.Actor);
        Assert.Equal("leaked", record.Reason);
        Assert.Equal("token:jti-1", record.Target);
        Assert.Equal(result.Value!.Ended[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Detail!["event_id"]);
    }

    [Fact]
    public async Task AuditUnavailable_FailsTheRequest_ButTheRevocationStands()
    {
        var coordinator = Coordinator(new FailingAuditLog());

        await Assert.ThrowsAsync<AuditUnavailableException>(() => coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Token, "jti-1", "ops"), Ct));

        Assert.True(await _store.Revocations.IsRevokedAsync("jti-1", _time.GetUtcNow(), Ct));
        Assert.Single(await _store.RevocationEvents.ReadAfterAsync(0, 10, Ct));
    }

    [Fact]
    public async Task Cascade_RevokesWhatItReturns_ThroughTheirRevokers_EachOnce()
    {
        var audit = new RecordingAuditLog();
        var coordinator = Coordinator(audit, null, new ChainCascade());

        var result = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Task, "t1", "ops"), Ct);

        // t1 → t2 → t3 → t1 (a cycle): each recorded once.
        Assert.Equal(["task:t1", "task:t2", "task:t3"], result.Value!.Ended.Select(e => RevocationKindNames.Of(e.Kind) + ":" + e.Subject));
        Assert.Equal(3, audit.Durable.Count);
        Assert.Equal(result.Value.Ended.Select(e => e.Id).Order(), result.Value.Ended.Select(e => e.Id));
    }

    [Fact]
    public async Task RevocationRecordedHere_WakesStreamReaders()
    {
        var notifier = new RevocationNotifier();
        var woken = notifier.Next;

        await Coordinator(new RecordingAuditLog(), notifier).RevokeAsync(new RevocationRequest(RevocationKind.Token, "jti-1", "ops"), Ct);

        Assert.True(woken.IsCompleted);
    }

    [Fact]
    public async Task KindWithoutRevoker_IsRefusedAsUnsupported()
    {
        var result = await Coordinator(new RecordingAuditLog()).RevokeAsync(new RevocationRequest(RevocationKind.Lease, "lease-1", "ops"), Ct);

        Assert.Equal("unsupported_kind", result.Error!.Code);
        Assert.Empty(await _store.RevocationEvents.ReadAfterAsync(0, 10, Ct));
    }

    [Fact]
    public async Task ScopedActor_CannotRevokeAJtiOrAKey()
    {
        var coordinator = Coordinator(new RecordingAuditLog());

        var token = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Token, "jti-1", "alice-admin", ActorOwner: "alice"), Ct);
        var key = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Key, (await _keys.ListAsync(Ct))[0].Kid, "alice-admin", ActorOwner: "alice"), Ct);

        Assert.Equal(AdminErrorKind.Forbidden, token.Error!.Kind);
        Assert.Equal(AdminErrorKind.Forbidden, key.Error!.Kind);
        Assert.Empty(await _store.RevocationEvents.ReadAfterAsync(0, 10, Ct));
    }

    [Fact]
    public async Task KeyRevocation_RetiresTheKey_AndAReplacementSignsNow()
    {
        var kid = (await _keys.GetSigningCredentialsAsync(Ct)).Key.KeyId;

        var result = await Coordinator(new RecordingAuditLog()).RevokeAsync(new RevocationRequest(RevocationKind.Key, kid, "ops"), Ct);

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(await _keys.GetValidationKeysAsync(Ct), k => k.KeyId == kid);
        Assert.NotEqual(kid, (await _keys.GetSigningCredentialsAsync(Ct)).Key.KeyId);
    }

    private sealed class RecordingAuditLog : IAuditLog
    {
        public List<AuditEvent> Durable { get; } = [];

        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
        {
            Durable.Add(auditEvent);
            return Task.CompletedTask;
        }

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("revocations must be recorded durably");
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new AuditUnavailableException();

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new AuditUnavailableException();
    }

    // Stands in for the tasks code (issue 6), which registers its own revoker and cascade the same way.
    private sealed class FakeTaskRevoker(RevocationOptions options) : IRevoker
    {
        public RevocationKind Kind => RevocationKind.Task;

        public Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(new RevokerResult([new RevocationEvent(0, now, Kind, request.Subject, now + options.MaxTokenLifetime, request.Cause)], null));
    }

    private sealed class ChainCascade : IRevocationCascade
    {
        private static readonly Dictionary<string, string> Child = new() { ["t1"] = "t2", ["t2"] = "t3", ["t3"] = "t1" };

        public Task<IReadOnlyList<RevocationRequest>> FollowAsync(RevocationEvent revocation, RevocationRequest cause, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RevocationRequest>>(revocation.Kind == RevocationKind.Task && Child.TryGetValue(revocation.Subject, out var child)
                ? [cause with { Kind = RevocationKind.Task, Subject = child }]
                : []);
    }
}
