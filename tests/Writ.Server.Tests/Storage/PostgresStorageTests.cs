using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Writ.Core.Configuration;
using Writ.Server.Configuration;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Storage;

/// <summary>The control plane selecting PostgreSQL by flags or configuration, and failing closed while the database is down.</summary>
public sealed class PostgresStorageTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "writ-server-pg-" + Guid.NewGuid().ToString("N"));
    private string _database = null!;
    private string _connectionString = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => (_database, _connectionString) = await cluster.CreateDatabaseAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await cluster.DropDatabaseAsync(_database, CancellationToken.None);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public void Default_IsSqlite()
    {
        var settings = Resolve(new WritServerOptions());

        Assert.Equal(StorageProvider.Sqlite, settings.StorageProvider);
        Assert.Null(settings.StorageConnectionString);
    }

    [Fact]
    public void PostgresFromConfiguration_IsSelected()
    {
        var settings = Resolve(new WritServerOptions(), ("Writ:Storage:Provider", "postgres"), ("Writ:Storage:ConnectionString", "Host=db;Database=writ"));

        Assert.Equal(StorageProvider.Postgres, settings.StorageProvider);
        Assert.Equal("Host=db;Database=writ", settings.StorageConnectionString);
    }

    [Fact]
    public void EnvironmentSpelling_ReachesTheStorageSection()
    {
        Assert.Equal("Writ:STORAGE:PROVIDER", WritEnvironmentVariables.KeyFor("WRIT_STORAGE__PROVIDER"));
        Assert.Equal("Writ:STORAGE:CONNECTIONSTRING", WritEnvironmentVariables.KeyFor("WRIT_STORAGE__CONNECTION_STRING"));
        var settings = Resolve(new WritServerOptions(), ("Writ:STORAGE:PROVIDER", "POSTGRES"), ("Writ:STORAGE:CONNECTIONSTRING", "Host=db"));
        Assert.Equal(StorageProvider.Postgres, settings.StorageProvider);
    }

    [Fact]
    public void Flags_WinOverConfiguration()
    {
        var settings = Resolve(
            new WritServerOptions { StorageProvider = "postgres", StorageConnectionString = "Host=flag" },
            ("Writ:Storage:Provider", "sqlite"),
            ("Writ:Storage:ConnectionString", "Host=config"));

        Assert.Equal(StorageProvider.Postgres, settings.StorageProvider);
        Assert.Equal("Host=flag", settings.StorageConnectionString);
    }

    [Fact]
    public void UnknownProvider_StopsStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { StorageProvider = "mysql" }));

        Assert.Contains("sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithoutConnectionString_StopsStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { StorageProvider = "postgres" }));

        Assert.Contains("connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidConnectionString_StopsStartup_WithoutEchoingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Resolve(new WritServerOptions { StorageProvider = "postgres", StorageConnectionString = "Database=writ;Password=hunter2-secret" }));

        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionStringWithSqlite_StopsStartup()
    {
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { StorageConnectionString = "Host=db" }));
    }

    [Fact]
    public async Task PostgresProvider_KeepsControlPlaneDataInTheDatabase()
    {
        await using var app = await StartAsync(_connectionString);
        using var http = Client(app);

        using var created = await AdminAsync(http, HttpMethod.Post, "owners", new { name = "alice" });
        using var ready = await http.GetAsync("readyz", Ct);

        Assert.True(created.IsSuccessStatusCode, $"owner not created: {(int)created.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["alice"], await NamesAsync(_connectionString, "SELECT name FROM owners;"));
        Assert.Single(await NamesAsync(_connectionString, "SELECT kid FROM signing_keys;"));
        Assert.False(File.Exists(Path.Combine(_data, "writ.db")));
    }

    [Fact]
    public async Task DatabaseDown_RequestsFailWith503_ThenSucceedAfterRestart()
    {
        await using var own = await PostgresCluster.StartAsync(Ct);
        var database = await own.CreateDatabaseAsync(Ct);
        await using var app = await StartAsync(own.ConnectionString(database) + ";Timeout=5");
        using var http = Client(app);
        using (var before = await AdminAsync(http, HttpMethod.Post, "owners", new { name = "alice" }))
        {
            Assert.True(before.IsSuccessStatusCode);
        }

        await own.StopAsync(Ct);
        try
        {
            using var down = await AdminAsync(http, HttpMethod.Post, "owners", new { name = "bob" });
            using var notReady = await http.GetAsync("readyz", Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        finally
        {
            await own.StartAgainAsync(Ct);
        }

        using var after = await AdminAsync(http, HttpMethod.Post, "owners", new { name = "carol" });
        using var ready = await http.GetAsync("readyz", Ct);

        Assert.True(after.IsSuccessStatusCode, $"owner not created after restart: {(int)after.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["alice", "carol"], await NamesAsync(own.ConnectionString(database), "SELECT name FROM owners ORDER BY name;"));
    }

    private static WritSettings Resolve(WritServerOptions options, params (string Key, string Value)[] configuration) =>
        WritSettings.Resolve(options, new ConfigurationBuilder().AddInMemoryCollection(configuration.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value))).Build());

    private async Task<WebApplication> StartAsync(string connectionString)
    {
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = _data,
            DevMode = true,
            StorageProvider = "postgres",
            StorageConnectionString = connectionString,
        });
        await app.StartAsync(Ct);
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        // Dev mode generated the bootstrap admin token; every request of these tests is an admin's.
        var info = WritApp.GetStartupInfo(app);
        var http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", info.AdminToken);
        return http;
    }

    private static Task<HttpResponseMessage> AdminAsync(HttpClient http, HttpMethod method, string path, object body) =>
        http.SendAsync(new HttpRequestMessage(method, "admin/v1/" + path) { Content = JsonContent.Create(body) }, Ct);

    private static async Task<List<string>> NamesAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
