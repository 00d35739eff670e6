using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.EndToEnd;

// A task started the way an agent starts one against a real `writ dev`: owner and agent through the CLI, a policy
// that permits starting tasks through the admin API (as `writ policy apply` uploads it), then a join token exchanged
// for an identity token and that for a task token over HTTP, as any OAuth client would.
internal static class AgentTasks
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Returns the task's id.
    public static async Task<string> StartAsync(WritHost server, string owner, string agent, string purpose)
    {
        Assert.Equal(0, (await server.CliAsync("owner", "add", owner)).ExitCode);
        Assert.Equal(0, (await server.CliAsync("agent", "register", agent, "--owner", owner)).ExitCode);
        using var http = new HttpClient { BaseAddress = server.Url };
        using (var apply = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/policy-sets"))
        {
            apply.Headers.Authorization = new("Bearer", (await File.ReadAllTextAsync(server.AdminTokenFile, Ct)).Trim());
            apply.Content = JsonContent.Create(new { files = new[] { new { name = "tasks.cedar", text = "@id(\"start-any\")\npermit (principal, action == Writ::Action::\"StartTask\", resource);" } }, activate = true });
            using var applied = await http.SendAsync(apply, Ct);
            Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync(Ct));
        }

        var issuer = (string)(await http.GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server", Ct))!["issuer"]!;
        var joinToken = (string?)CliJson.Of(await server.CliAsync("join-token", "create", agent, "--json"))["token"];
        var (status, identity) = await server.ExchangeJoinTokenAsync(joinToken!, issuer);
        Assert.True(status == 200, identity.ToJsonString());
        var intent = new JsonArray(new JsonObject
        {
            ["type"] = "writ_task",
            ["purpose"] = purpose,
            ["tools"] = new JsonArray(new JsonObject { ["tool"] = "github.search_issues", ["targets"] = new JsonArray("repo:acme/web") }),
            ["sensitivity"] = "internal",
            ["max_duration"] = "PT10M",
        });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = (string)identity["access_token"]!,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["audience"] = "https://gateway.test",
            ["authorization_details"] = intent.ToJsonString(),
        });
        using var response = await http.PostAsync("/oauth2/token", form, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return (string)body!["task_id"]!;
    }
}
