using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;
using Writ.Storage.Postgres;
using Writ.Testing.Postgres;

namespace Writ.Storage.Tests.Postgres;

/// <summary>
/// Faults caused on a real server: a session killed while a request runs, and the server stopped and
/// started again. Requests fail closed (an exception, never a result that grants anything) and
/// nothing is half-written; afterwards requests succeed. The server runs on a cluster of its own.
/// </summary>
public sealed class PostgresFaultTests(DedicatedPostgresCluster dedicated) : IClassFixture<DedicatedPostgresCluster>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Domain = TrustDomain.Parse("writ.test");

    private readonly string _application = "writ-fault-" + Guid.NewGuid().ToString("N")[..12];
    private PostgresCluster _cluster = null!;
    private string _database = null!;
    private PostgresWritStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _cluster = await dedicated.GetAsync();
        _database = await _cluster.CreateDatabaseAsync(Ct);
        _store = new PostgresWritStore(_cluster.ConnectionString(_database, _application));
        await _store.MigrateAsync(Ct);
        await _store.Owners.AddAsync(new Owner("alice", null, null, T0), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _cluster.DropDatabaseAsync(_database, CancellationToken.None);
    }

    [Fact]
    public async Task SessionKilledDuringAgentWrite_AndAgainOnItsRetry_FailsClosed_WritingNothing()
    {
        var agent = NewAgent("research", new AgentKey("k1", "t1", "{}", T0), new AgentKey("k2", "t2", "{}", T0));
        await using var blocker = await OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync(Ct);

        // The agent row goes in, then the first key waits for this lock: the session dies between
        // the two rows of one write, on the first try and on the store's one retry.
        await ExecuteAsync(blocker, transaction, "LOCK TABLE agent_keys IN ACCESS EXCLUSIVE MODE;");
        var write = _store.Agents.AddAsync(agent, Ct);
        var first = await KillBlockedSessionAsync(blocker, transaction, exceptPid: 0);
        await KillBlockedSessionAsync(blocker, transaction, exceptPid: first);

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => write);
        await transaction.RollbackAsync(Ct);

        Assert.Contains("terminating connection due to administrator command", error.Message, StringComparison.Ordinal);
        Assert.Null(await _store.Agents.GetAsync("research", Ct));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM agent_keys;"));
        Assert.Equal(StoreOutcome.Success, (await _store.Agents.AddAsync(agent, Ct)).Outcome);
        Assert.Equal(["k1", "k2"], (await _store.Agents.GetAsync("research", Ct))!.PublicKeys.Select(k => k.Kid));
    }

    [Fact]
    public async Task SessionKilledOnceDuringAgentWrite_IsRepeatedOnAFreshSession_WrittenOnce()
    {
        var agent = NewAgent("research", new AgentKey("k1", "t1", "{}", T0), new AgentKey("k2", "t2", "{}", T0));
        await using var blocker = await OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync(Ct);
        await ExecuteAsync(blocker, transaction, "LOCK TABLE agent_keys IN ACCESS EXCLUSIVE MODE;");
        var write = _store.Agents.AddAsync(agent, Ct);
        var first = await KillBlockedSessionAsync(blocker, transaction, exceptPid: 0);

        // The retry waits on the same lock in a new session; releasing the lock lets it finish.
        await WaitForBlockedSessionAsync(exceptPid: first);
        await transaction.RollbackAsync(Ct);

        Assert.Equal(StoreOutcome.Success, (await write).Outcome);
        Assert.Equal(["k1", "k2"], (await _store.Agents.GetAsync("research", Ct))!.PublicKeys.Select(k => k.Kid));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM agents WHERE name = 'research';"));
    }

    [Fact]
    public async Task SessionKilledDuringJoinTokenConsume_LeavesItUnconsumed_ThenItIsConsumedOnce()
    {
        var token = await AddJoinTokenAsync("secret-kill");
        await using var blocker = await OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync(Ct);
        await ExecuteAsync(blocker, transaction, $"SELECT 1 FROM join_tokens WHERE id = '{token.Id}' FOR UPDATE;");

        var consume = _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(1), Ct);
        var first = await KillBlockedSessionAsync(blocker, transaction, exceptPid: 0);
        await KillBlockedSessionAsync(blocker, transaction, exceptPid: first);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => consume);
        await transaction.RollbackAsync(Ct);

        Assert.Null((await _store.JoinTokens.GetAsync(token.Id, Ct))!.ConsumedAt);
        Assert.True((await _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(2), Ct)).Consumed);
        Assert.Equal(JoinTokenConsumeOutcome.AlreadyConsumed, (await _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(3), Ct)).Outcome);
    }

    [Fact]
    public async Task StoppedServer_FailsClosed_ThenSucceedsAfterRestart()
    {
        var token = await AddJoinTokenAsync("secret-restart");
        Assert.True(await _store.ReplayCache.TryRecordAsync("agent", "seen-before", T0.AddHours(1), Ct));
        await _store.Revocations.RevokeAsync(new RevokedToken("revoked-before", T0.AddHours(1), T0), Ct);

        await _cluster.StopAsync(Ct);
        try
        {
            Assert.False(await _store.PingAsync(Ct));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(1), Ct));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.ReplayCache.TryRecordAsync("agent", "new-jti", T0.AddHours(1), Ct));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.Revocations.IsRevokedAsync("revoked-before", T0, Ct));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.Agents.AddAsync(NewAgent("while-down"), Ct));
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.Owners.GetAsync("alice", Ct));
            Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _cluster.StartAgainAsync(Ct);
        }

        Assert.True(await _store.PingAsync(Ct));
        Assert.Null(await _store.Agents.GetAsync("while-down", Ct));
        Assert.False(await _store.ReplayCache.TryRecordAsync("agent", "seen-before", T0.AddHours(1), Ct));
        Assert.True(await _store.ReplayCache.TryRecordAsync("agent", "new-jti", T0.AddHours(1), Ct));
        Assert.True(await _store.Revocations.IsRevokedAsync("revoked-before", T0, Ct));
        Assert.True((await _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(2), Ct)).Consumed);
    }

    [Fact]
    public async Task ServerRestartedWhileIdle_FirstRequestOnAStalePooledConnectionSucceeds()
    {
        var token = await AddJoinTokenAsync("secret-idle");
        Assert.NotNull(await _store.Owners.GetAsync("alice", Ct));

        await _cluster.StopAsync(Ct);
        await _cluster.StartAgainAsync(Ct);

        Assert.True((await _store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(1), Ct)).Consumed);
        Assert.NotNull(await _store.Owners.GetAsync("alice", Ct));
    }

    private Agent NewAgent(string name, params AgentKey[] keys) =>
        new(name, SpiffeId.ForAgent(Domain, name), "alice", AgentStatus.Active, [AttestationMethod.JoinToken], new Dictionary<string, string>(), keys, T0, T0);

    private async Task<JoinToken> AddJoinTokenAsync(string secret)
    {
        Assert.Equal(StoreOutcome.Success, (await _store.Agents.AddAsync(NewAgent("joiner"), Ct)).Outcome);
        var token = new JoinToken("jt-" + secret, "joiner", SecretHash.Compute(secret), T0, T0.AddMinutes(10), null, "admin");
        Assert.Equal(StoreOutcome.Success, (await _store.JoinTokens.AddAsync(token, Ct)).Outcome);
        return token;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_cluster.ConnectionString(_database) + ";Pooling=false");
        await connection.OpenAsync(Ct);
        return connection;
    }

    private async Task<int> KillBlockedSessionAsync(NpgsqlConnection blocker, NpgsqlTransaction transaction, int exceptPid)
    {
        var pid = await WaitForBlockedSessionAsync(exceptPid);
        await ExecuteAsync(blocker, transaction, $"SELECT pg_terminate_backend({pid});");
        return pid;
    }

    /// <summary>The backend pid of a store session waiting for a lock (polled, so no timing assumption).</summary>
    private async Task<int> WaitForBlockedSessionAsync(int exceptPid)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @app AND wait_event_type = 'Lock' AND pid <> @except LIMIT 1;",
            connection);
        command.Parameters.AddWithValue("app", _application);
        command.Parameters.AddWithValue("except", exceptPid);
        while (true)
        {
            if (await command.ExecuteScalarAsync(Ct) is int pid)
            {
                return pid;
            }

            await Task.Delay(20, Ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
