using System.Text.Json.Nodes;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.EndToEnd;

internal static class CliJson
{
    // The JSON a successful `--json` run printed.
    public static JsonNode Of(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Output) ?? throw new InvalidOperationException(result.ToString());
    }

    public static IEnumerable<string?> Names(JsonNode list) =>
        ((JsonArray)list["items"]!).Select(i => (string?)i!["name"]);
}
