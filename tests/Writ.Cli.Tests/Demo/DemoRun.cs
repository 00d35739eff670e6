using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Demo;

// One real `writ demo --json --keep` process and what it printed; the kept workspace is removed on dispose.
internal sealed class DemoRun : IDisposable
{
    private DemoRun(CliResult result, JsonObject document)
    {
        Result = result;
        Document = document;
    }

    public CliResult Result { get; }

    public JsonObject Document { get; }

    public string Workspace => (string)Document["workspace"]!;

    public static async Task<DemoRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var result = await WritProcess.RunAsync(workingDirectory, environment, ["demo", "--json", "--keep", .. args]);
        JsonObject? document = null;
        try
        {
            document = JsonNode.Parse(result.Output) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Reported below with the whole output.
        }

        return new DemoRun(result, document ?? throw new InvalidOperationException("writ demo --json printed no JSON object.\n" + result));
    }

    public JsonObject Step(int number) =>
        ((JsonArray)Document["steps"]!).OfType<JsonObject>().Single(s => (int)s["step"]! == number);

    public void Dispose()
    {
        if (Document["workspace"] is not null && Directory.Exists(Workspace))
        {
            Directory.Delete(Workspace, recursive: true);
        }
    }

    public override string ToString() => Result.ToString();
}
