using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;
using Writ.Storage.Postgres;
using Writ.Testing.Postgres;

namespace Writ.Storage.Tests.Postgres;

/// <summary>What is specific to the PostgreSQL provider: migrations across processes, column types, connection handling.</summary>
public sealed class PostgresStoreTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private string _database = null!;
    private string _connectionString = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => (_database, _connectionString) = await cluster.CreateDatabaseAsync(Ct);

    public async ValueTask DisposeAsync() => await cluster.DropDatabaseAsync(_database, CancellationToken.None);

    [Fact]
    public void EmbeddedMigrations_AreNumberedFromOneWithoutGaps()
    {
        var versions = PostgresMigrator.Migrations.Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Fact]
    public async Task Migration_RecordsEveryVersion()
    {
        await using var store = new PostgresWritStore(_connectionString);
        Assert.Equal(0, await store.GetSchemaVersionAsync(Ct));

        await store.MigrateAsync(Ct);

        Assert.Equal(PostgresWritStore.SupportedSchemaVersion, await store.GetSchemaVersionAsync(Ct));
        Assert.Equal((long)PostgresWritStore.SupportedSchemaVersion, await ScalarAsync("SELECT COUNT(*) FROM schema_version;"));
    }

    [Fact]
    public async Task ConcurrentMigrations_FromSeveralPools_ApplyEachVersionOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgresWritStore(_connectionString)).ToList();
        try
        {
            using var start = new ManualResetEventSlim(false);
            var migrations = stores.Select(s => Task.Run(
                async () =>
                {
                    start.Wait(Ct);
                    await s.MigrateAsync(Ct);
                },
                Ct)).ToList();
            start.Set();
            await Task.WhenAll(migrations);

            foreach (var store in stores)
            {
                Assert.Equal(PostgresWritStore.SupportedSchemaVersion, await store.GetSchemaVersionAsync(Ct));
            }

            Assert.Equal((long)PostgresWritStore.SupportedSchemaVersion, await ScalarAsync("SELECT COUNT(*) FROM schema_version;"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migration_WaitsWhileAnotherProcessHoldsTheMigrationLock()
    {
        const string application = "writ-migration-wait";
        await using var holder = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await holder.OpenAsync(Ct);
        await using var transaction = await holder.BeginTransactionAsync(Ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresMigrator.LockKey});", holder, transaction))
        {
            await take.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new PostgresWritStore(_connectionString + ";Application Name=" + application);
        var migration = store.MigrateAsync(Ct);
        await WaitUntilBlockedAsync(application, "advisory");

        Assert.False(migration.IsCompleted);
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'schema_version';"));
        await transaction.CommitAsync(Ct);
        await migration;

        Assert.Equal(PostgresWritStore.SupportedSchemaVersion, await store.GetSchemaVersionAsync(Ct));
    }

    [Fact]
    public async Task EveryTimeColumn_IsTimestamptz()
    {
        await using var store = new PostgresWritStore(_connectionString);
        await store.MigrateAsync(Ct);

        var notTimestamptz = await ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public' " +
            "AND (column_name LIKE '%\\_at' OR column_name = 'at') AND data_type <> 'timestamp with time zone';");
        var withoutZone = await ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'timestamp without time zone';");
        var expires = await ScalarAsync(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'join_tokens' AND column_name = 'expires_at';");

        Assert.Equal(0L, notTimestamptz);
        Assert.Equal(0L, withoutZone);
        Assert.Equal("timestamp with time zone", expires);
    }

    [Fact]
    public async Task Times_KeepMicroseconds_AndTruncateTheRest()
    {
        await using var store = new PostgresWritStore(_connectionString);
        await store.MigrateAsync(Ct);
        var precise = T0.AddTicks(1_234_567).ToOffset(TimeSpan.FromHours(2));

        await store.Owners.AddAsync(new Owner("alice", null, null, precise), Ct);
        var read = (await store.Owners.GetAsync("alice", Ct))!.CreatedAt;

        Assert.Equal(T0.AddTicks(1_234_560), read);
        Assert.Equal(TimeSpan.Zero, read.Offset);
    }

    [Fact]
    public async Task Names_AreOrderedBytewise()
    {
        await using var store = new PostgresWritStore(_connectionString);
        await store.MigrateAsync(Ct);
        foreach (var name in new[] { "b", "B", "a", "A", "_" })
        {
            await store.Owners.AddAsync(new Owner(name, null, null, T0), Ct);
        }

        Assert.Equal(["A", "B", "_", "a", "b"], (await store.Owners.ListAsync(Ct)).Select(o => o.Name));
    }

    [Fact]
    public void InvalidConnectionString_IsRejected_WithoutEchoingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresWritStore("Host=db;Password=hunter2-secret;Bogus Key=1"));

        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Database=writ;Username=writ")]
    [InlineData("Host=db;Port=not-a-number")]
    [InlineData("just some text")]
    public void UnusableConnectionString_IsReported_WithoutEchoingIt(string connectionString)
    {
        Assert.False(PostgresWritStore.IsValidConnectionString(connectionString + ";Password=hunter2-secret", out var problem));

        Assert.StartsWith("the PostgreSQL connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UsableConnectionString_IsAccepted()
    {
        Assert.True(PostgresWritStore.IsValidConnectionString("Host=db.internal;Database=writ;Username=writ;SSL Mode=VerifyFull", out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public async Task Description_NamesTheServer_WithoutThePassword()
    {
        await using var store = new PostgresWritStore(_connectionString);

        Assert.Equal($"127.0.0.1:{(await cluster.GetAsync()).Port}/{_database}", store.Description);
        Assert.DoesNotContain("Password", store.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sessions_AreNamedWrit_UnlessTheConnectionStringNamesThem()
    {
        await using var store = new PostgresWritStore(_connectionString);
        await store.MigrateAsync(Ct);

        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        Assert.True(await store.PingAsync(Ct));
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'writ';", connection);
        Assert.True((long)(await command.ExecuteScalarAsync(Ct))! >= 1);
    }

    [Fact]
    public async Task UnreachableServer_FailsClosed()
    {
        var port = (await cluster.GetAsync()).Port;
        await using var store = new PostgresWritStore($"Host=127.0.0.1;Port={ClosedPort(port)};Username=writ;Password=x;Database=writ;Timeout=5");

        Assert.False(await store.PingAsync(Ct));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.JoinTokens.TryConsumeAsync("hash", T0, Ct));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.ReplayCache.TryRecordAsync("scope", "jti", T0, Ct));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.Revocations.IsRevokedAsync("jti", T0, Ct));
    }

    private static int ClosedPort(int inUse)
    {
        // A port nothing listens on: bind one, remember it, release it.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        return port == inUse ? port + 1 : port;
    }

    private async Task WaitUntilBlockedAsync(string application, string waitEvent)
    {
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @app AND wait_event_type = 'Lock' AND wait_event = @event;",
            connection);
        command.Parameters.AddWithValue("app", application);
        command.Parameters.AddWithValue("event", waitEvent);
        while ((long)(await command.ExecuteScalarAsync(Ct))! == 0)
        {
            await Task.Delay(20, Ct);
        }
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
