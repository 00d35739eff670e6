using System.Text.Json.Nodes;
using Writ.Sdk;

namespace Writ.Cli.Demo;

// Step 5: the research agent hands a narrower sub-task to the helper; the chain is in the helper's token,
// and neither a wider re-delegation nor a call outside the sub-task gets through.
internal sealed partial class DemoScenario
{
    private async Task DelegateAsync(DemoStep step)
    {
        var task = RequireTask();
        var agent = helper ?? throw new DemoException("not run: the agents were not registered (step 1)");
        helperClient = await AttestWithJoinTokenAsync(agent);
        narrator.Allowed($"{agent.Name} attested with a one-time join token and holds its own identity token");

        var narrower = new TaskIntent(
            "read issue 101 for the summary",
            [ToolGrant.Of("files.read_text_file", DemoFixtures.WebTarget)],
            TaskSensitivity.Public,
            TimeSpan.FromMinutes(5));
        await using var sub = await task.DelegateAsync(helperClient, narrower, cancellationToken: cancellationToken);
        narrator.Allowed($"sub-task {sub.Id} delegated to {agent.Name}: files.read_text_file on {DemoFixtures.WebTarget} only, at most 5 minutes");
        narrator.Detail($"the helper's token: sub {sub.Subject}, act {string.Join(" ← ", sub.DelegationChain)} (RFC 8693 act claim), parent task {sub.ParentTaskId}");
        if (sub.ParentTaskId != task.Id || !sub.DelegationChain.Contains(agent.SpiffeId, StringComparer.Ordinal))
        {
            throw new DemoException("the helper's token does not show the delegation chain");
        }

        await using (var mcp = await ConnectAsync(sub, "/mcp/acme-web"))
        {
            var text = TextOf(await CallAllowedAsync(mcp, "read_text_file", Arguments(("path", Path.Combine(environment.Fixtures.IssuesDirectory, "101.md")))));
            narrator.Allowed($"the helper reads issue 101 through the gateway: \"{DemoFixtures.Parse(text)?.Title}\"");
            var refused = await CallRefusedAsync(mcp, "list_directory", Arguments(("path", environment.Fixtures.IssuesDirectory)));
            narrator.Denied($"the helper calls files.list_directory, which its parent has but it was not given: {refused}");
        }

        var wider = new TaskIntent(
            "finish the summary and fix the issues",
            [ToolGrant.Of("files.read_text_file", DemoFixtures.WebTarget), ToolGrant.Of("files.write_file", DemoFixtures.WebTarget)],
            TaskSensitivity.Confidential,
            TimeSpan.FromMinutes(5));
        string widening;
        try
        {
            await using var escalated = await sub.DelegateAsync(helperClient, wider, cancellationToken: cancellationToken);
            throw new DemoException($"the helper widened its task: Writ granted {escalated.GrantedAuthorizationDetails.GetRawText()}");
        }
        catch (WritException e)
        {
            widening = $"{e.Error}: {e.Message}";
        }

        narrator.Denied($"the helper asks for files.write_file and confidential data by delegating again: refused, {widening}");
        step.Summary = $"sub-task {sub.Id} for {agent.Name} (act: {string.Join(", ", sub.DelegationChain)}); widening refused ({widening.Split(':')[0]})";
        step.Facts["subTaskId"] = sub.Id;
        step.Facts["subject"] = sub.Subject;
        step.Facts["chain"] = new JsonArray([.. sub.DelegationChain.Select(a => (JsonNode)a)]);
        step.Facts["parentTaskId"] = sub.ParentTaskId;
        step.Facts["wideningRefused"] = widening;
        document["helperTaskId"] = sub.Id;
    }
}
