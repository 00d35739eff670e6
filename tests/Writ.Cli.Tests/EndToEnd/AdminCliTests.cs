using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.EndToEnd;

// Every admin noun through the real CLI process against a real `writ dev`.
public abstract class AdminCliTests(DevServerFixture fixture)
{
    private WritHost Server => fixture.Server;

    [Fact]
    public async Task OwnerAddThenList_ShowsTheOwner_AsTableAndJson()
    {
        var added = await Server.CliAsync("owner", "add", "grace", "--display-name", "Grace Hopper", "--email", "grace@example.com");
        Assert.True(added.ExitCode == 0, added.ToString());

        var table = await Server.CliAsync("owner", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(table.Output.Split('\n'), l => l.Contains("grace", StringComparison.Ordinal) && l.Contains("Grace Hopper", StringComparison.Ordinal));

        var json = CliJson.Of(await Server.CliAsync("owner", "list", "--json"));
        Assert.Contains("grace", CliJson.Names(json));
    }

    [Fact]
    public async Task DuplicateOwner_Exits1_WithOneLineProblem()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "heidi")).ExitCode);

        var again = await Server.CliAsync("owner", "add", "heidi");

        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Single(again.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentForUnknownOwner_Exits1_AndSuggestsAddingTheOwner()
    {
        var result = await Server.CliAsync("agent", "register", "orphan", "--owner", "nobody");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("writ owner", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAgent_Exits1_WithOneLineProblem()
    {
        var result = await Server.CliAsync("agent", "show", "ghost");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("ghost", result.Error, StringComparison.Ordinal);
        Assert.Contains("writ agent list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRegisterShowList_CarryOwnerStatusAndMetadata()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "ivan")).ExitCode);
        var registered = await Server.CliAsync("agent", "register", "summarizer", "--owner", "ivan", "--metadata", "purpose=summaries", "--attestation", "join_token");
        Assert.True(registered.ExitCode == 0, registered.ToString());

        var agent = CliJson.Of(await Server.CliAsync("agent", "show", "summarizer", "--json"));
        Assert.Equal("spiffe://writ.local/agent/summarizer", (string?)agent["spiffeId"]);
        Assert.Equal("ivan", (string?)agent["owner"]);
        Assert.Equal("active", (string?)agent["status"]);
        Assert.Equal("summaries", (string?)agent["metadata"]?["purpose"]);

        var shown = await Server.CliAsync("agent", "show", "summarizer");
        Assert.Contains("purpose=summaries", shown.Output, StringComparison.Ordinal);

        var listed = CliJson.Of(await Server.CliAsync("agent", "list", "--owner", "ivan", "--json"));
        Assert.Equal(["summarizer"], CliJson.Names(listed));
    }

    [Fact]
    public async Task WrongAdminToken_Exits1_AndNamesWhereTheTokenCameFrom()
    {
        var result = await Server.CliAsync("owner", "list", "--token", "not-a-token");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
        Assert.Contains("--token", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFromEnvironment_IsUsed()
    {
        var token = (await File.ReadAllTextAsync(Server.AdminTokenFile, TestContext.Current.CancellationToken)).Trim();
        var elsewhere = Directory.CreateTempSubdirectory("writ-e2e-env-").FullName;
        try
        {
            var result = await WritProcess.RunAsync(elsewhere, new Dictionary<string, string> { ["WRIT_TOKEN"] = token, ["WRIT_SERVER"] = Server.Server }, "owner", "list");

            Assert.True(result.ExitCode == 0, result.ToString());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task ScopedAdminToken_ManagesOnlyItsOwner_AndStopsWorkingWhenRevoked()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "judy")).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "mallory")).ExitCode);
        var created = CliJson.Of(await Server.CliAsync("admin-token", "create", "judy-agents", "--owner", "judy", "--json"));
        var scoped = (string?)created["token"];
        Assert.False(string.IsNullOrEmpty(scoped), created.ToJsonString());

        var own = await Server.CliAsync("agent", "register", "judy-bot", "--owner", "judy", "--token", scoped!);
        Assert.True(own.ExitCode == 0, own.ToString());
        var foreign = await Server.CliAsync("agent", "register", "mallory-bot", "--owner", "mallory", "--token", scoped!);
        Assert.True(foreign.ExitCode == 1, foreign.ToString());
        Assert.Contains("403", foreign.Error, StringComparison.Ordinal);

        var listed = await Server.CliAsync("admin-token", "list", "--json");
        Assert.Contains("judy-agents", CliJson.Names(CliJson.Of(listed)));
        Assert.DoesNotContain(scoped!, listed.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Server.CliAsync("admin-token", "revoke", "judy-agents")).ExitCode);
        var afterRevoke = await Server.CliAsync("agent", "list", "--token", scoped!);
        Assert.True(afterRevoke.ExitCode == 1, afterRevoke.ToString());
        Assert.Contains("401", afterRevoke.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRotate_PublishesTheNextKeyInJwks()
    {
        var before = CliJson.Of(await Server.CliAsync("key", "list", "--json"));
        var rotated = CliJson.Of(await Server.CliAsync("key", "rotate", "--json"));
        var kid = (string?)rotated["kid"];
        Assert.False(string.IsNullOrEmpty(kid), rotated.ToJsonString());

        var after = CliJson.Of(await Server.CliAsync("key", "list", "--json"));
        Assert.Equal(((JsonArray)before["items"]!).Count + 1, ((JsonArray)after["items"]!).Count);

        using var http = new HttpClient();
        var jwks = JsonNode.Parse(await http.GetStringAsync(new Uri(Server.Url, "/.well-known/jwks.json"), TestContext.Current.CancellationToken))!;
        Assert.Contains(kid, ((JsonArray)jwks["keys"]!).Select(k => (string?)k!["kid"]));

        var table = await Server.CliAsync("key", "list");
        Assert.Contains(kid!, table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerAddListRemove()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "kim")).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("agent", "register", "k8s-worker", "--owner", "kim", "--attestation", "external_issuer")).ExitCode);
        var jwksFile = Path.Combine(Server.WorkingDirectory, "issuer-jwks.json");
        await File.WriteAllTextAsync(jwksFile, """{"keys":[{"kty":"EC","crv":"P-256","kid":"k8s-1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""", TestContext.Current.CancellationToken);

        var added = await Server.CliAsync("issuer", "add", "k8s", "--issuer", "https://kubernetes.default.svc", "--jwks-file", jwksFile, "--audience", "writ",
            "--rule", "k8s-worker:sub=system:serviceaccount:agents:k8s-worker");
        Assert.True(added.ExitCode == 0, added.ToString());

        Assert.Contains("k8s", CliJson.Names(CliJson.Of(await Server.CliAsync("issuer", "list", "--json"))));
        Assert.Contains("https://kubernetes.default.svc", (await Server.CliAsync("issuer", "list")).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Server.CliAsync("issuer", "remove", "k8s")).ExitCode);
        Assert.DoesNotContain("k8s", CliJson.Names(CliJson.Of(await Server.CliAsync("issuer", "list", "--json"))));
        Assert.Equal(1, (await Server.CliAsync("issuer", "remove", "k8s")).ExitCode);
    }

    [Fact]
    public async Task ClientAdd_ShowsSecretOnce_ListNeverShowsIt()
    {
        var added = CliJson.Of(await Server.CliAsync("client", "add", "gateway-eu", "--json"));
        var secret = (string?)added["clientSecret"];
        Assert.False(string.IsNullOrEmpty(secret), added.ToJsonString());

        var listed = await Server.CliAsync("client", "list", "--json");
        Assert.Contains("gateway-eu", CliJson.Names(CliJson.Of(listed)));
        Assert.DoesNotContain(secret!, listed.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Server.CliAsync("client", "remove", "gateway-eu")).ExitCode);
        Assert.DoesNotContain("gateway-eu", CliJson.Names(CliJson.Of(await Server.CliAsync("client", "list", "--json"))));
    }
}

// On SQLite, the store `writ dev` uses by default.
public sealed class SqliteAdminCliTests(SqliteDevServerFixture fixture) : AdminCliTests(fixture), IClassFixture<SqliteDevServerFixture>;

// On PostgreSQL, the production store.
public sealed class PostgresAdminCliTests(PostgresDevServerFixture fixture) : AdminCliTests(fixture), IClassFixture<PostgresDevServerFixture>;
