using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// What one admin verb works with: its parsed command line, the API client and the output.
internal sealed class AdminInvocation(ParseResult parseResult, AdminApiClient api, CommandOutput output)
{
    public AdminApiClient Api { get; } = api;

    public CommandOutput Output { get; } = output;

    public T Get<T>(Argument<T> argument) => parseResult.GetRequiredValue(argument);

    public T? Get<T>(Option<T> option) => parseResult.GetValue(option);

    // Prints a single resource: JSON as received, or the table form given.
    public void Show(JsonNode? node, Action<JsonObject> asText)
    {
        if (Output.Json)
        {
            Output.WriteJson(node);
            return;
        }

        asText(node as JsonObject ?? throw new AdminApiException("the server answered without the expected JSON object"));
    }

    // Prints a `{"items":[...]}` list: JSON as received, or a table.
    public void ShowList(JsonNode? node, IReadOnlyList<Column> columns, string whenEmpty)
    {
        if (Output.Json)
        {
            Output.WriteJson(node);
            return;
        }

        var items = node?["items"] as JsonArray ?? throw new AdminApiException("the server answered without the expected \"items\" list");
        Output.WriteTable(columns, items.OfType<JsonObject>(), whenEmpty);
    }

    // Prints the outcome of a call that answers 204: a small JSON object, or one sentence.
    public void ShowDone(JsonObject json, string sentence)
    {
        if (Output.Json)
        {
            Output.WriteJson(json);
        }
        else
        {
            Output.WriteLine(sentence);
        }
    }
}
