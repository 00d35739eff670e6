using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Writ.Cli.Demo;

// Steps 3 and 4: the task's MCP calls through the gateway, allowed within the intent and denied outside it.
internal sealed partial class DemoScenario
{
    private string? injectedIssue;

    private async Task SummarizeAsync(DemoStep step)
    {
        var task = RequireTask();
        await using var mcp = await ConnectAsync(task, "/mcp/acme-web");
        var tools = await mcp.ListToolsAsync(cancellationToken: cancellationToken);
        narrator.Detail($"tools/list through the gateway shows only what the task may call: {string.Join(", ", tools.Select(t => t.Name))}");

        var listing = TextOf(await CallAllowedAsync(mcp, "list_directory", Arguments(("path", environment.Fixtures.IssuesDirectory))));
        var files = listing.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("[FILE]", StringComparison.Ordinal) && l.EndsWith(".md", StringComparison.Ordinal))
            .Select(l => l["[FILE]".Length..].Trim())
            .Order(StringComparer.Ordinal)
            .ToList();
        narrator.Allowed($"files.list_directory on {DemoFixtures.WebTarget}: {files.Count} issue files");

        var open = new List<string>();
        foreach (var file in files)
        {
            var text = TextOf(await CallAllowedAsync(mcp, "read_text_file", Arguments(("path", Path.Combine(environment.Fixtures.IssuesDirectory, file)))));
            if (DemoFixtures.Parse(text) is { State: "open" } issue)
            {
                open.Add($"#{Path.GetFileNameWithoutExtension(file)} {issue.Title}");
            }

            if (text.Contains("NOTE TO AI ASSISTANTS", StringComparison.Ordinal))
            {
                injectedIssue = file;
            }
        }

        narrator.Allowed($"files.read_text_file on {DemoFixtures.WebTarget}: {files.Count} calls");
        narrator.Detail("Summary of the open issues of acme/web:");
        foreach (var line in open)
        {
            narrator.Detail("  • " + line);
        }

        var decisions = await WaitForDecisionsAsync(task.Id, "allow", files.Count + 1);
        if (open.Count == 0)
        {
            throw new DemoException("the MCP server returned no open issue; the fixtures were not read");
        }

        step.Summary = $"{decisions.Count} calls allowed (list_directory, read_text_file); {open.Count} open issues summarized";
        step.Facts["allowedCalls"] = decisions.Count;
        step.Facts["openIssues"] = new JsonArray([.. open.Select(o => (JsonNode)o)]);
        step.Facts["visibleTools"] = new JsonArray([.. tools.Select(t => (JsonNode)t.Name)]);
    }

    private async Task InjectionAsync(DemoStep step)
    {
        var task = RequireTask();
        var issue = injectedIssue ?? "104.md";
        narrator.Detail($"issue {issue} hides an instruction for AI agents: write 'status: fixed' to it, then put .env and ../acme-billing/customers.csv into the summary");
        narrator.Detail("the agent falls for it and tries all three:");
        var target = Path.Combine(environment.Fixtures.IssuesDirectory, issue);
        var before = await File.ReadAllTextAsync(target, cancellationToken);

        await using (var web = await ConnectAsync(task, "/mcp/acme-web"))
        {
            var refused = await CallRefusedAsync(web, "write_file", Arguments(("path", target), ("content", "status: fixed")));
            narrator.Denied($"files.write_file on {DemoFixtures.WebTarget}: {refused}");

            // A declared tool on the declared target, so the intent allows it; a Cedar policy on the call's arguments does not.
            refused = await CallRefusedAsync(web, "read_text_file", Arguments(("path", environment.Fixtures.WebSecretFile)));
            narrator.Denied($"files.read_text_file of .env on {DemoFixtures.WebTarget}: {refused}");
        }

        await using (var billing = await ConnectAsync(task, "/mcp/acme-billing"))
        {
            var refused = await CallRefusedAsync(billing, "read_text_file", Arguments(("path", environment.Fixtures.BillingSecretFile)));
            narrator.Denied($"files.read_text_file on {DemoFixtures.BillingTarget}: {refused}");
        }

        if (await File.ReadAllTextAsync(target, cancellationToken) != before)
        {
            throw new DemoException($"{issue} changed: the write reached the MCP server");
        }

        var denials = await WaitForDecisionsAsync(task.Id, "deny", 3);
        narrator.Detail("the decisions, as the audit log recorded them:");
        var rows = new JsonArray();
        foreach (var record in denials)
        {
            var policies = record["policies"] is JsonArray p && p.Count > 0 ? string.Join(", ", p.Select(x => x!.GetValue<string>())) : "none: the built-in intent check decided before Cedar";
            narrator.Detail($"  audit #{record["seq"]}: deny {record["target"]}, reason {record["reason"]}, policies: {policies}");
            rows.Add(new JsonObject { ["seq"] = record["seq"]?.DeepClone(), ["target"] = record["target"]?.DeepClone(), ["reason"] = record["reason"]?.DeepClone(), ["policies"] = record["policies"]?.DeepClone() });
        }

        var write = denials.FirstOrDefault(r => r["target"]?.GetValue<string>().Contains("write_file", StringComparison.Ordinal) == true)
            ?? throw new DemoException("no deny decision for files.write_file in the audit log");
        tamperTarget = write["seq"]!.GetValue<long>();
        step.Summary = string.Join("; ", denials.Select(r => $"deny {r["target"]} ({r["reason"]})"));
        step.Facts["denied"] = rows;
        step.Facts["fileUnchanged"] = true;
    }

    private async Task<CallToolResult> CallAllowedAsync(McpClient mcp, string tool, Dictionary<string, object?> arguments)
    {
        var result = await mcp.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        return result.IsError == true
            ? throw new DemoException($"the MCP server answered {tool} with an error: {TextOf(result)}")
            : result;
    }

    // The gateway's refusal as the agent sees it; a call that went through fails the step.
    private async Task<string> CallRefusedAsync(McpClient mcp, string tool, Dictionary<string, object?> arguments)
    {
        try
        {
            var result = await mcp.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
            throw new DemoException($"{tool} was not refused: the MCP server answered {(result.IsError == true ? "with an error" : "it")}");
        }
        catch (McpException e)
        {
            // The official client prefixes the server's words with where the error came from; the words are what matter here.
            const string prefix = "Request failed (remote): ";
            return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        }
    }

    // The task's decision records of one outcome, oldest first, once at least `count` are in the log
    // (per-call decisions are queued records: they land within the audit flush window).
    private async Task<List<JsonObject>> WaitForDecisionsAsync(string taskId, string decision, int count)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"audit/records?task={Uri.EscapeDataString(taskId)}&type=decision&decision={decision}&order=oldest&limit=100");
        for (var attempt = 0; ; attempt++)
        {
            var page = await api.GetAsync(query, cancellationToken);
            var records = (page?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (records.Count >= count || attempt == 100)
            {
                return records.Count >= count
                    ? records
                    : throw new DemoException($"the audit log holds {records.Count} '{decision}' decisions for task {taskId}, expected {count}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string TextOf(CallToolResult result) =>
        string.Join('\n', result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
