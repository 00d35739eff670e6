using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Revocation;

// `writ revoke task` through the real CLI process against a real `writ dev` on SQLite, with a task started
// over HTTP by token exchange as an agent would.
public sealed class RevokeTaskCliTests(SqliteDevServerFixture fixture) : IClassFixture<SqliteDevServerFixture>
{
    private WritHost Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokeTask_PrintsTheTaskEvent_AndTheTaskIsRevoked()
    {
        var id = await StartTaskAsync("rita", "rita-agent");

        var result = await Server.CliAsync("revoke", "task", id, "--cause", "runaway");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Revoked task " + id, result.Output, StringComparison.Ordinal);
        Assert.Contains(result.Output.Split('\n'), l => l.Contains("task", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        var shown = CliJson.Of(await Server.CliAsync("task", "show", id, "--json"));
        Assert.Equal("revoked", (string?)shown["state"]);
    }

    [Fact]
    public async Task RevokeTask_Json_ListsTheEndedTask()
    {
        var id = await StartTaskAsync("jon", "jon-agent");

        var result = await Server.CliAsync("revoke", "task", id, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var first = CliJson.Of(result)["ended"]![0]!;
        Assert.Equal("task", (string?)first["kind"]);
        Assert.Equal(id, (string?)first["subject"]);
    }

    [Fact]
    public async Task RevokeUnknownTask_Fails()
    {
        var result = await Server.CliAsync("revoke", "task", "no-such-task");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("task_not_found", result.Error + result.Output, StringComparison.Ordinal);
    }

    private async Task<string> StartTaskAsync(string owner, string agent)
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", owner)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("agent", "register", agent, "--owner", owner)).ExitCode);
        using var http = new HttpClient { BaseAddress = Server.Url };
        using (var apply = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/policy-sets"))
        {
            apply.Headers.Authorization = new("Bearer", (await File.ReadAllTextAsync(Server.AdminTokenFile, Ct)).Trim());
            apply.Content = JsonContent.Create(new { files = new[] { new { name = "start.cedar", text = "@id(\"start\")\npermit (principal, action == Writ::Action::\"StartTask\", resource);" } }, activate = true });
            using var applied = await http.SendAsync(apply, Ct);
            Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync(Ct));
        }

        var issuer = (string)(await http.GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server", Ct))!["issuer"]!;
        var join = (string?)CliJson.Of(await Server.CliAsync("join-token", "create", agent, "--json"))["token"];
        var (status, identity) = await Server.ExchangeJoinTokenAsync(join!, issuer);
        Assert.True(status == 200, identity.ToJsonString());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = (string)identity["access_token"]!,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["audience"] = "https://gateway.test",
            ["authorization_details"] = """[{"type":"writ_task","purpose":"revocation test","tools":[{"tool":"github.search_issues","targets":["repo:acme/web"]}],"sensitivity":"internal","max_duration":"PT10M"}]""",
        });
        using var response = await http.PostAsync("/oauth2/token", form, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return (string)body!["task_id"]!;
    }
}
