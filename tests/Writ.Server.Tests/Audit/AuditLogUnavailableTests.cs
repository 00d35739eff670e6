using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Writ.Core.Identity;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Audit;

/// <summary>
/// The audit store made unwritable for real: the server's PostgreSQL role loses INSERT on the audit
/// table. Issuance and admin changes must then be refused, and nothing issued or changed.
/// </summary>
public sealed class AuditLogUnavailableTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private const string Role = "writ_app";
    private const string RolePassword = "writ-app-test-password";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "writ-audit-pg-" + Guid.NewGuid().ToString("N"));
    private string _database = null!;
    private string _superuser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_database, _superuser) = await cluster.CreateDatabaseAsync(Ct);
        await ExecuteAsync($"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Role}') THEN CREATE ROLE {Role} LOGIN PASSWORD '{RolePassword}'; END IF; END $$;");
        await ExecuteAsync($"GRANT ALL ON DATABASE \"{_database}\" TO {Role}; GRANT ALL ON SCHEMA public TO {Role};");
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.DropDatabaseAsync(_database, CancellationToken.None);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task UnwritableAuditStore_TokenEndpointAnswers503_AndIssuesNothing()
    {
        await using var app = await StartAsync();
        using var http = Client(app);
        await AdminOkAsync(http, "owners", new { name = "alice" });
        await AdminOkAsync(http, "agents", new { name = "research", owner = "alice" });
        var joinToken = (await AdminOkAsync(http, "join-tokens", new { agent = "research" }))["token"]!.GetValue<string>();
        var before = await CountAsync("SELECT count(*) FROM audit_record;");

        await ExecuteAsync($"REVOKE INSERT ON audit_record FROM {Role};");
        using var response = await http.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.TokenExchangeGrant,
            ["subject_token"] = joinToken,
            ["subject_token_type"] = TokenTypes.JoinToken,
            ["audience"] = "https://tools.example",
        }), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("temporarily_unavailable", JsonNode.Parse(body)!["error"]!.GetValue<string>());
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM audit_record;"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_record WHERE type = 'identity.issued';"));
    }

    [Fact]
    public async Task UnwritableAuditStore_RegisteredKeyAssertionAnswers503_SpendsNoJti_AndIsAcceptedOnceTheLogRecovers()
    {
        await using var app = await StartAsync();
        using var http = Client(app);
        using var key = new Infrastructure.AgentKey("research-key-1");
        await AdminOkAsync(http, "owners", new { name = "alice" });
        await AdminOkAsync(http, "agents", new { name = "research", owner = "alice", publicKeys = new[] { key.PublicJwk }, attestationMethods = new[] { "registered_key" } });
        var tokenEndpoint = WritApp.GetStartupInfo(app).Urls[0].TrimEnd('/') + "/oauth2/token";
        var assertion = key.Sign(Infrastructure.AgentKey.Claims("spiffe://writ.local/agent/research", tokenEndpoint, DateTimeOffset.UtcNow, jti: "unwritable-1"));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TokenTypes.JwtBearerGrant,
            ["assertion"] = assertion,
            ["audience"] = "https://tools.example",
        });

        await ExecuteAsync($"REVOKE INSERT ON audit_record FROM {Role};");
        using (var refused = await http.PostAsync("oauth2/token", form, Ct))
        {
            var body = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_record WHERE type = 'identity.issued';"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM replay_cache WHERE jti = 'unwritable-1';"));
        await ExecuteAsync($"GRANT INSERT ON audit_record TO {Role};");
        using var accepted = await http.PostAsync("oauth2/token", form, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_record WHERE type = 'identity.issued';"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM replay_cache WHERE jti = 'unwritable-1';"));
    }

    [Fact]
    public async Task UnwritableAuditStore_AdminChangeAnswers503_AndChangesNothing_ThenRecoversWithoutGaps()
    {
        await using var app = await StartAsync();
        using var http = Client(app);
        await AdminOkAsync(http, "owners", new { name = "alice" });

        await ExecuteAsync($"REVOKE INSERT ON audit_record FROM {Role};");
        using (var refused = await http.PostAsJsonAsync("admin/v1/owners", new { name = "mallory" }, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM owners WHERE name = 'mallory';"));

        await ExecuteAsync($"GRANT INSERT ON audit_record TO {Role};");
        await AdminOkAsync(http, "owners", new { name = "bob" });
        var sequences = await CountAsync("SELECT count(*) FROM audit_record;");
        Assert.Equal(await CountAsync("SELECT max(seq) + 1 FROM audit_record;"), sequences);
        Assert.Equal(sequences, await CountAsync("SELECT tree_size FROM audit_head;"));
    }

    private async Task<WebApplication> StartAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(_superuser) { Username = Role, Password = RolePassword };
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = _data,
            DevMode = true,
            StorageProvider = "postgres",
            StorageConnectionString = builder.ConnectionString,
        });
        await app.StartAsync(Ct);
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var info = WritApp.GetStartupInfo(app);
        var http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", info.AdminToken);
        return http;
    }

    private static async Task<JsonObject> AdminOkAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync("admin/v1/" + path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_superuser + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_superuser + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
