using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Writ.Core.Storage;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;
using Writ.Gateway.Tests.Infrastructure;
using Writ.Server;
using Writ.Storage.Sqlite;

namespace Writ.Gateway.Tests.Hosting;

/// <summary>The gateway never migrates the store: it refuses to start on one that is missing, unmigrated or of another schema version.</summary>
public sealed class GatewayStoreTests : IAsyncLifetime
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "writ-gateway-store-" + Guid.NewGuid().ToString("N"));
    private string issuer = null!;
    private string adminToken = null!;

    private string Database => Path.Combine(data, SqliteWritStore.DatabaseFileName);

    public async ValueTask InitializeAsync()
    {
        // A store (and root key) as `writ server` leaves them.
        await using var writ = Server();
        await writ.StartAsync(TestContext.Current.CancellationToken);
        var info = WritApp.GetStartupInfo(writ);
        (issuer, adminToken) = (info.Issuer, info.AdminToken);
        await writ.StopAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task StoreWithANewerSchema_RefusesToStart_WithTheServersMessage()
    {
        var newer = SqliteWritStore.SupportedSchemaVersion + 1;
        await ExecuteAsync($"INSERT INTO schema_version (version, applied_at) VALUES ({newer}, 0);");

        var error = await Assert.ThrowsAsync<GatewayStoreException>(StartGatewayAsync);

        await using var writ = Server();
        var server = await Assert.ThrowsAsync<SchemaVersionTooNewException>(() => writ.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(server.Message, error.Message);
        Assert.Contains("newer than this writ binary supports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreWithAnOlderSchema_RefusesToStart_AskingForTheServerToMigrateIt()
    {
        await ExecuteAsync("DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version);");

        var error = await Assert.ThrowsAsync<GatewayStoreException>(StartGatewayAsync);

        Assert.Contains("older than this writ binary needs", error.Message, StringComparison.Ordinal);
        Assert.Contains("writ server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnmigratedDatabase_RefusesToStart()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(data, SqliteWritStore.DatabaseFileName + "*"))
        {
            File.Delete(file);
        }

        await File.WriteAllBytesAsync(Database, [], TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<GatewayStoreException>(StartGatewayAsync);

        Assert.Contains("holds no Writ schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingDatabase_RefusesToBuild_AndCreatesNothing()
    {
        var empty = Path.Combine(data, "empty");
        Directory.CreateDirectory(empty);
        var settings = GatewayConfigLoader.Parse(GatewayWorld.Config(issuer, adminToken, empty, "http://127.0.0.1:9"), empty);

        var error = Assert.Throws<GatewayStoreException>(() => GatewayApp.Build(settings));

        Assert.Contains("no Writ database in " + empty, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(empty));
    }

    [Fact]
    public async Task CurrentStore_Starts()
    {
        var writ = Server();
        await writ.StartAsync(TestContext.Current.CancellationToken);
        var info = WritApp.GetStartupInfo(writ);
        var settings = GatewayConfigLoader.Parse(GatewayWorld.Config(info.Issuer, info.AdminToken, data, "http://127.0.0.1:9"), data);
        var gateway = GatewayApp.Build(settings);

        await gateway.StartAsync(TestContext.Current.CancellationToken);

        await gateway.StopAsync(CancellationToken.None);
        await gateway.DisposeAsync();
        await writ.StopAsync(CancellationToken.None);
        await writ.DisposeAsync();
    }

    private WebApplication Server() =>
        WritApp.Build(new WritServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = data, TrustDomain = "writ.local", DevMode = true });

    private async Task StartGatewayAsync()
    {
        var settings = GatewayConfigLoader.Parse(GatewayWorld.Config(issuer, adminToken, data, "http://127.0.0.1:9"), data);
        await using var gateway = GatewayApp.Build(settings);
        await gateway.StartAsync(TestContext.Current.CancellationToken);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection("Data Source=" + Database + ";Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
