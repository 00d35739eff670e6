using Writ.Core.Domain;
using Writ.Storage.Sqlite;

namespace Writ.Storage.Tests.Sqlite;

/// <summary>Agent reads reuse a prepared statement on a kept connection; they must still see every committed change at once.</summary>
public sealed class SqliteAgentReadTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-agentread-" + Guid.NewGuid().ToString("N"));
    private SqliteWritStore _store = null!;
    private SqliteWritStore _otherProcess = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = SqliteWritStore.ForDataDirectory(_directory);
        await _store.MigrateAsync(Ct);
        _otherProcess = SqliteWritStore.ForDataDirectory(_directory);
        await _store.Owners.AddAsync(new Owner("alice", null, null, T0), Ct);
        var key = new AgentKey("k1", "thumb-1", "{\"kty\":\"EC\"}", T0);
        await _store.Agents.AddAsync(
            new Agent("builder", SpiffeId.Parse("spiffe://writ.local/agent/builder"), "alice", AgentStatus.Active, [AttestationMethod.RegisteredKey], new Dictionary<string, string>(), [key], T0, T0),
            Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _otherProcess.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SuspensionByAnotherStore_IsSeenByTheNextRead()
    {
        Assert.Equal(AgentStatus.Active, (await _store.Agents.GetAsync("builder", Ct))!.Status);

        await _otherProcess.Agents.SetStatusAsync("builder", AgentStatus.Suspended, T0.AddMinutes(1), Ct);

        Assert.Equal(AgentStatus.Suspended, (await _store.Agents.GetAsync("builder", Ct))!.Status);
    }

    [Fact]
    public async Task KeyRemovedByAnotherStore_IsGoneFromTheNextRead()
    {
        Assert.Single((await _store.Agents.GetAsync("builder", Ct))!.PublicKeys);

        await _otherProcess.Agents.RemoveKeyAsync("builder", "k1", T0.AddMinutes(1), Ct);

        Assert.Empty((await _store.Agents.GetAsync("builder", Ct))!.PublicKeys);
    }

    [Fact]
    public async Task ConcurrentReads_AllSeeTheAgent_AndUnknownNamesAreNull()
    {
        var reads = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => _store.Agents.GetAsync(i % 5 == 0 ? "nobody" : "builder", Ct), Ct)));

        for (var i = 0; i < reads.Length; i++)
        {
            Assert.Equal(i % 5 == 0 ? null : "builder", reads[i]?.Name);
        }
    }

    [Fact]
    public async Task DisposedStore_ReleasesTheFile()
    {
        await _store.Agents.GetAsync("builder", Ct);
        await _store.DisposeAsync();
        await _otherProcess.DisposeAsync();

        // Nothing in this process holds the database file open any more.
        Assert.True(Directory.Exists("/proc/self/fd"), "this check reads /proc (Linux)");
        var open = Directory.GetFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith(_store.DatabasePath, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(open);
    }
}
