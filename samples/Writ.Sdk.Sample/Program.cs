using Writ.Sdk;
using Writ.Sdk.Mcp;
using Writ.Sdk.Sample;

// A research agent: declares what it will do, does it with a task token, and ends the task either way.
var settings = SampleSettings.FromEnvironment(Console.Error);
if (settings is null)
{
    return 2;
}

await using var writ = new WritClient(new WritClientOptions { WritUrl = settings.WritUrl, Attestation = settings.Attestation() });
var intent = new TaskIntent(
    "summarize the open issues of acme/web",
    [ToolGrant.Of("files.read_text_file", "repo:acme/web"), ToolGrant.Of("files.list_directory", "repo:acme/web")],
    TaskSensitivity.Internal,
    TimeSpan.FromMinutes(10));

try
{
    await using var task = await writ.StartTaskAsync(intent, settings.Audience);
    Console.WriteLine($"task {task.Id} started, token bound to a key: {task.IsKeyBound}, expires {task.ExpiresAt:u}");
    try
    {
        if (settings.McpEndpoint is { } endpoint)
        {
            await using var mcp = await task.ConnectMcpClientAsync(endpoint);
            foreach (var tool in await mcp.ListToolsAsync())
            {
                Console.WriteLine($"  tool {tool.Name}");
            }
        }
    }
    catch (Exception ex) when (ex is not TaskRevokedException)
    {
        // The task did not do what it declared: end it as failed, then let the error surface.
        await task.FailAsync(ex);
        throw;
    }

    Console.WriteLine($"task {task.Id} completes on dispose");
    return 0;
}
catch (WritException ex)
{
    Console.Error.WriteLine($"Writ refused: {ex.Error}: {ex.Message}");
    return 1;
}
