using System.Text;
using Writ.Core.Connections;

namespace Writ.Server.Tests.Connections;

public sealed class ConnectionApiTests : IAsyncLifetime
{
    private const string Secret = "sk-live-Zq8uQ3nVh2LcT7pWm4YbR1sX";

    private ConnectionTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ConnectionTestHost.StartAsync();
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "bob" });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
    }

    private static object StaticSecret(string name = "weather-api", string owner = "alice", string? secret = Secret) =>
        new { name, owner, kind = "static_secret", secret, headerName = "Authorization", scheme = "Bearer", metadata = new Dictionary<string, string> { ["env"] = "prod" } };

    private static object Postgres(object grants, string name = "orders-db") =>
        new { name, owner = "alice", kind = "postgres_admin", secret = Secret, host = "127.0.0.1", port = 5432, database = "orders", adminUser = "writ_admin", grants, maxLeaseDuration = "PT30M" };

    [Fact]
    public async Task StaticSecretConnection_IsAddedShownListedAndRemoved_WithoutItsSecret()
    {
        var created = await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret());
        Assert.Equal("weather-api", created["name"]!.GetValue<string>());
        Assert.Equal("static_secret", created["kind"]!.GetValue<string>());
        Assert.True(created["hasSecret"]!.GetValue<bool>());
        Assert.StartsWith("root.", created["kekId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Authorization", created["headerName"]!.GetValue<string>());
        Assert.Null(created["secret"]);

        var shown = await _host.OkAsync(HttpMethod.Get, "connections/weather-api");
        Assert.Equal(created["id"]!.GetValue<string>(), shown["id"]!.GetValue<string>());
        Assert.Equal("prod", shown["metadata"]!["env"]!.GetValue<string>());

        var listed = await _host.OkAsync(HttpMethod.Get, "connections");
        Assert.Single(listed["items"]!.AsArray());

        await _host.OkAsync(HttpMethod.Delete, "connections/weather-api");
        Assert.Equal((404, "connection_not_found"), await _host.ProblemAsync(HttpMethod.Get, "connections/weather-api"));
        Assert.Equal((404, "connection_not_found"), await _host.ProblemAsync(HttpMethod.Delete, "connections/weather-api"));
    }

    [Fact]
    public async Task PostgresConnection_KeepsItsGrantTemplate()
    {
        var created = await _host.OkAsync(HttpMethod.Post, "connections", Postgres(new[] { new { schema = "public", tables = new[] { "orders" }, privileges = new[] { "SELECT" } } }));

        Assert.Equal("postgres_admin", created["kind"]!.GetValue<string>());
        Assert.Equal(1800, created["maxLeaseSeconds"]!.GetValue<long>());
        Assert.Equal("orders", created["grants"]![0]!["tables"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DuplicateName_Returns409()
    {
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret());

        Assert.Equal((409, "connection_exists"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret()));
    }

    [Fact]
    public async Task UnknownOwner_Returns400()
    {
        Assert.Equal((400, "owner_not_found"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret(owner: "nobody")));
    }

    [Fact]
    public async Task MissingOwner_Returns400()
    {
        Assert.Equal((400, "missing_owner"), await _host.ProblemAsync(HttpMethod.Post, "connections", new { name = "x", kind = "static_secret", secret = Secret, headerName = "X-Api-Key" }));
    }

    [Fact]
    public async Task MissingSecret_Returns400()
    {
        Assert.Equal((400, "missing_secret"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret(secret: null)));
        Assert.Equal((400, "missing_secret"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret(secret: "")));
    }

    [Fact]
    public async Task SecretWithLineBreak_IsRejected_SoItCannotSplitAnInjectedHeader()
    {
        Assert.Equal((400, "invalid_secret"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret(secret: "abc\r\nX-Evil: 1")));
    }

    [Fact]
    public async Task WrongKindFields_Returns400()
    {
        var mixed = new { name = "x", owner = "alice", kind = "static_secret", secret = Secret, headerName = "X-Api-Key", host = "db", grants = Array.Empty<object>() };
        Assert.Equal((400, "fields_not_for_kind"), await _host.ProblemAsync(HttpMethod.Post, "connections", mixed));

        var oauthWithoutEndpoint = new { name = "x", owner = "alice", kind = "oauth_client_credentials", secret = Secret, clientId = "writ" };
        Assert.Equal((400, "invalid_token_endpoint"), await _host.ProblemAsync(HttpMethod.Post, "connections", oauthWithoutEndpoint));

        var staticWithoutHeader = new { name = "x", owner = "alice", kind = "static_secret", secret = Secret };
        Assert.Equal((400, "invalid_header_name"), await _host.ProblemAsync(HttpMethod.Post, "connections", staticWithoutHeader));
    }

    [Fact]
    public async Task UnknownKind_Returns400()
    {
        Assert.Equal((400, "invalid_kind"), await _host.ProblemAsync(HttpMethod.Post, "connections", new { name = "x", owner = "alice", kind = "ldap", secret = Secret }));
    }

    [Theory]
    [InlineData("public; DROP TABLE orders; --", "orders", "SELECT")]
    [InlineData("public", "orders\" TO PUBLIC; --", "SELECT")]
    [InlineData("public", "orders", "ALL PRIVILEGES")]
    [InlineData("public", "orders", "SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC")]
    public async Task BadTemplateTryingSqlInjection_Returns400(string schema, string table, string privilege)
    {
        var body = Postgres(new[] { new { schema, tables = new[] { table }, privileges = new[] { privilege } } });

        Assert.Equal((400, "invalid_grants"), await _host.ProblemAsync(HttpMethod.Post, "connections", body));
        Assert.Empty((await _host.OkAsync(HttpMethod.Get, "connections"))["items"]!.AsArray());
    }

    [Fact]
    public async Task ScopedAdminToken_SeesAndManagesOnlyItsOwnersConnections()
    {
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret("alice-api", "alice"));
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret("bob-api", "bob"));
        var token = (await _host.OkAsync(HttpMethod.Post, "admin-tokens", new { name = "bob-admin", owner = "bob" }))["token"]!.GetValue<string>();

        var listed = await _host.OkAsync(HttpMethod.Get, "connections", token: token);
        Assert.Equal(["bob-api"], listed["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal((404, "connection_not_found"), await _host.ProblemAsync(HttpMethod.Get, "connections/alice-api", token: token));
        Assert.Equal((404, "connection_not_found"), await _host.ProblemAsync(HttpMethod.Delete, "connections/alice-api", token: token));
        Assert.Equal((403, "forbidden"), await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret("sneaky", "alice"), token));
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret("bob-second", "bob"), token);
    }

    [Fact]
    public async Task RotateSecret_ReplacesOrReseals_AndTheNewSecretOpens()
    {
        var created = await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret());
        var before = await _host.Store.Connections.GetAsync("weather-api", TestContext.Current.CancellationToken);

        var resealed = await _host.OkAsync(HttpMethod.Post, "connections/weather-api/rotate-secret");
        Assert.NotNull(resealed["rotatedAt"]);
        var afterReseal = await _host.Store.Connections.GetAsync("weather-api", TestContext.Current.CancellationToken);
        Assert.NotEqual(before!.Secret.Ciphertext, afterReseal!.Secret.Ciphertext);
        Assert.Equal(Secret, Open(afterReseal));

        await _host.OkAsync(HttpMethod.Post, "connections/weather-api/rotate-secret", new { secret = "sk-live-second-value-0123456789" });
        var replaced = await _host.Store.Connections.GetAsync("weather-api", TestContext.Current.CancellationToken);
        Assert.Equal("sk-live-second-value-0123456789", Open(replaced!));
        Assert.Equal(created["id"]!.GetValue<string>(), replaced!.Id);

        Assert.Equal((400, "invalid_secret"), await _host.ProblemAsync(HttpMethod.Post, "connections/weather-api/rotate-secret", new { secret = "a\nb" }));
        Assert.Equal((404, "connection_not_found"), await _host.ProblemAsync(HttpMethod.Post, "connections/missing/rotate-secret"));
    }

    [Fact]
    public async Task EveryChange_IsInTheChangeLog()
    {
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret());
        await _host.OkAsync(HttpMethod.Post, "connections/weather-api/rotate-secret", new { secret = "another-secret-value" });
        await _host.OkAsync(HttpMethod.Delete, "connections/weather-api");

        var changes = (await _host.OkAsync(HttpMethod.Get, "changes"))["items"]!.AsArray().Select(c => c!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("connection.add", changes);
        Assert.Contains("connection.rotate_secret", changes);
        Assert.Contains("connection.remove", changes);
    }

    [Fact]
    public async Task NoSecret_AppearsInAnyLogResponseOrTheDatabaseFile()
    {
        await _host.OkAsync(HttpMethod.Post, "connections", StaticSecret());
        await _host.OkAsync(HttpMethod.Post, "connections", Postgres(new[] { new { schema = "public", tables = new[] { "*" }, privileges = new[] { "SELECT" } } }));
        await _host.ProblemAsync(HttpMethod.Post, "connections", StaticSecret());
        await _host.OkAsync(HttpMethod.Get, "connections");
        await _host.OkAsync(HttpMethod.Get, "connections/weather-api");
        await _host.OkAsync(HttpMethod.Post, "connections/weather-api/rotate-secret");
        await _host.OkAsync(HttpMethod.Post, "connections/weather-api/rotate-secret", new { secret = Secret + "-2" });
        await _host.OkAsync(HttpMethod.Delete, "connections/orders-db");
        await _host.OkAsync(HttpMethod.Get, "changes");

        Assert.NotEmpty(_host.Logs.Lines);
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Responses, body => body.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Responses, body => body.Contains("\"secret\"", StringComparison.Ordinal));

        await _host.App.StopAsync(TestContext.Current.CancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_host.DataDirectory, "writ.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private string Open(Connection connection)
    {
        var bytes = _host.Service<ConnectionSecrets>().TryOpen(connection.Id, connection.Secret);
        return Encoding.UTF8.GetString(bytes!);
    }
}
