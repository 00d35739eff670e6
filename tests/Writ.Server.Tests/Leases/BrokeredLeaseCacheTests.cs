using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Leases;
using Writ.Core.Revocation;
using Writ.Server.Tests.Connections;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// Brokered leases are held in memory after the first use: no store write per forwarded call, uses counted in
/// memory and flushed, and every revocation that names the lease, its task or its connection takes it out of
/// memory at once (in this process through the lease revoker, in an enforcement point through the stream).
/// </summary>
public sealed class BrokeredLeaseCacheTests : IAsyncLifetime
{
    private const string Secret = "sk-cache-3Hq8Lm2Vb7";

    private ConnectionTestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await ConnectionTestHost.StartAsync();
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await _host.OkAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice" });
        await StoredTasks.AddAsync(_host.Store, _host.Time.GetUtcNow(), "tsk_1", "tsk_2");
        await _host.OkAsync(HttpMethod.Post, "connections", new { name = "weather-api", owner = "alice", kind = "static_secret", secret = Secret, headerName = "X-Api-Key" });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
    }

    private LeaseRequest Request(string task = "tsk_1") =>
        new(task, "research", "alice", _host.Time.GetUtcNow() + TimeSpan.FromMinutes(30), "weather-api");

    private BrokeredSecrets EnforcementPointInstance() =>
        new(_host.Store, _host.Service<ConnectionSecrets>(), _host.Service<IAuditLog>(), _host.Time);

    [Fact]
    public async Task Uses_AreCountedInMemory_AndAddedToTheLeaseAtTheFlush_WithOneSummaryRecord()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        string leaseId = string.Empty;
        for (var i = 0; i < 5; i++)
        {
            leaseId = (await brokered.ResolveAsync(Request(), Ct)).Credential!.LeaseId;
        }

        Assert.Equal(0, (await _host.Store.Leases.GetAsync(leaseId, Ct))!.Uses);

        await brokered.FlushAsync(Ct);
        await brokered.FlushAsync(Ct);

        // A durable record is appended after everything queued before it.
        await _host.Service<IAuditLog>().RecordDurableAsync(new AuditEvent { Type = "test.marker" }, Ct);

        Assert.Equal(5, (await _host.Store.Leases.GetAsync(leaseId, Ct))!.Uses);
        var summaries = (await _host.Store.Audit.SearchAsync(new AuditQuery { Type = AuditEventTypes.LeaseUsed, NewestFirst = false }, Ct))
            .Select(r => AuditRecordEncoding.Decode(r.Canonical))
            .Where(r => r.Detail!["lease"] == leaseId)
            .ToList();
        var summary = Assert.Single(summaries);
        Assert.Equal("5", summary.Detail!["added"]);
    }

    [Fact]
    public async Task UsesOfARevokedLease_AreStillWritten()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        var leaseId = (await brokered.ResolveAsync(Request(), Ct)).Credential!.LeaseId;
        await brokered.ResolveAsync(Request(), Ct);

        await _host.OkAsync(HttpMethod.Post, "leases/" + leaseId + "/revoke");
        await brokered.FlushAsync(Ct);

        var lease = await _host.Store.Leases.GetAsync(leaseId, Ct);
        Assert.Equal(LeaseState.Revoked, lease!.State);
        Assert.Equal(2, lease.Uses);
    }

    [Fact]
    public async Task RevokedConnection_EndsTheHeldLease_AtOnce()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        Assert.NotNull((await brokered.ResolveAsync(Request(), Ct)).Credential);

        await _host.OkAsync(HttpMethod.Post, "revocations", new { kind = "connection", id = "weather-api" });
        var (credential, error) = await brokered.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("lease_revoked", error!.Code);
    }

    [Fact]
    public async Task RevocationFromTheStream_DropsTheLeaseHeldByAnEnforcementPoint()
    {
        await using var gateway = EnforcementPointInstance();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var subscriber = new RevocationSubscriber(
            http,
            new RevocationSubscriberOptions { EventsUri = new Uri(_host.Http.BaseAddress!, "revocations/v1/events"), Authorization = _ => ValueTask.FromResult("Bearer " + _host.AdminToken) },
            _host.Time);
        gateway.Following(subscriber);
        await subscriber.StartAsync(Ct);
        var leaseId = (await gateway.ResolveAsync(Request(), Ct)).Credential!.LeaseId;

        var ended = await _host.OkAsync(HttpMethod.Post, "revocations", new { kind = "lease", id = leaseId });
        var eventId = ended["ended"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).Max();
        await subscriber.WaitForEventAsync(eventId, Ct);
        var (credential, error) = await gateway.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("lease_revoked", error!.Code);
    }

    [Fact]
    public async Task TaskEvent_DropsOnlyThatTasksLease()
    {
        await using var gateway = EnforcementPointInstance();
        var first = (await gateway.ResolveAsync(Request("tsk_1"), Ct)).Credential!.LeaseId;
        var other = (await gateway.ResolveAsync(Request("tsk_2"), Ct)).Credential!.LeaseId;
        await _host.Store.Leases.EndAsync(first, LeaseState.Revoked, _host.Time.GetUtcNow(), "task revoked", Ct);

        gateway.Forget(new RevocationEvent(1, _host.Time.GetUtcNow(), RevocationKind.Task, "tsk_1", _host.Time.GetUtcNow().AddMinutes(5), null));

        Assert.Equal("lease_revoked", (await gateway.ResolveAsync(Request("tsk_1"), Ct)).Error!.Code);
        Assert.Equal(other, (await gateway.ResolveAsync(Request("tsk_2"), Ct)).Credential!.LeaseId);
    }

    [Fact]
    public async Task ExpiredHeldLease_IsNotUsed_ANewOneIsOpened()
    {
        var brokered = _host.Service<BrokeredSecrets>();
        var first = (await brokered.ResolveAsync(Request() with { Ttl = TimeSpan.FromMinutes(2) }, Ct)).Credential!.LeaseId;

        _host.Time.Advance(TimeSpan.FromMinutes(3));
        await _host.Service<LeaseReaping>().RunOnceAsync(Ct);
        var next = (await brokered.ResolveAsync(Request(), Ct)).Credential!.LeaseId;

        Assert.NotEqual(first, next);
    }

    [Fact]
    public async Task OneLeasePerTaskAndConnection_UnderConcurrentFirstUses()
    {
        var brokered = _host.Service<BrokeredSecrets>();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => brokered.ResolveAsync(Request(), Ct)));

        Assert.Single(results.Select(r => r.Credential!.LeaseId).Distinct());
        Assert.Single(await _host.Store.Leases.ListAsync(new LeaseQuery(TaskId: "tsk_1"), Ct));
    }
}
