using Microsoft.Data.Sqlite;
using Writ.Storage.Sqlite;

namespace Writ.Storage.Tests.Sqlite;

/// <summary>The SQLite replay cache commits concurrent records together; each caller still gets its own answer.</summary>
public sealed class SqliteReplayCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Expiry = DateTimeOffset.UtcNow.AddMinutes(5);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-replay-" + Guid.NewGuid().ToString("N"));
    private SqliteWritStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = SqliteWritStore.ForDataDirectory(_directory);
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ConcurrentIdenticalJti_OnlyOneWins_WithinOneProcess()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(() => _store.ReplayCache.TryRecordAsync("agent:a", "same", Expiry, Ct), Ct)));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task ConcurrentDistinctJtis_AllWin_AndAreDurableForAnotherStore()
    {
        var jtis = Enumerable.Range(0, 600).Select(i => "jti-" + i).ToList();

        var results = await Task.WhenAll(jtis.Select(jti => Task.Run(() => _store.ReplayCache.TryRecordAsync("agent:a", jti, Expiry, Ct), Ct)));
        Assert.All(results, Assert.True);

        // Another store on the same file (as another process would be) sees every row already committed.
        await using var other = SqliteWritStore.ForDataDirectory(_directory);
        foreach (var jti in jtis)
        {
            Assert.False(await other.ReplayCache.TryRecordAsync("agent:a", jti, Expiry, Ct));
        }
    }

    [Fact]
    public async Task MixedBatch_AnswersEachRowForItself()
    {
        Assert.True(await _store.ReplayCache.TryRecordAsync("agent:a", "seen", Expiry, Ct));

        var seen = Task.Run(() => _store.ReplayCache.TryRecordAsync("agent:a", "seen", Expiry, Ct), Ct);
        var fresh = Enumerable.Range(0, 20).Select(i => Task.Run(() => _store.ReplayCache.TryRecordAsync("agent:a", "fresh-" + i, Expiry, Ct), Ct)).ToList();
        var otherScope = Task.Run(() => _store.ReplayCache.TryRecordAsync("agent:b", "seen", Expiry, Ct), Ct);

        Assert.False(await seen);
        Assert.All(await Task.WhenAll(fresh), Assert.True);
        Assert.True(await otherScope);
    }

    [Fact]
    public async Task FailedBatch_RecordsNothing_AndTheWriterRecovers()
    {
        await using var store = SqliteWritStore.ForDataDirectory(Path.Combine(_directory, "bare"));

        // No schema yet: the batch fails, and every caller in it sees the failure, never "recorded".
        var failed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await Record.ExceptionAsync(() => store.ReplayCache.TryRecordAsync("agent:a", "x", Expiry, Ct)), Ct)));
        Assert.All(failed, ex => Assert.IsType<SqliteException>(ex));

        await store.MigrateAsync(Ct);
        Assert.True(await store.ReplayCache.TryRecordAsync("agent:a", "x", Expiry, Ct));
    }

    [Fact]
    public async Task CancelledCaller_GetsCancellation_NotAnAnswer()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.ReplayCache.TryRecordAsync("agent:a", "c", Expiry, cancelled.Token));
        Assert.True(await _store.ReplayCache.TryRecordAsync("agent:a", "c", Expiry, Ct));
    }
}
