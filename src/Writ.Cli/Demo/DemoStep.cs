using System.Text.Json.Nodes;

namespace Writ.Cli.Demo;

// One numbered step of the scenario: what it showed, in one line for the summary table, and its facts for --json.
internal sealed class DemoStep(int number, string title)
{
    public int Number { get; } = number;

    public string Title { get; } = title;

    public bool Passed { get; set; }

    public string Summary { get; set; } = string.Empty;

    public string? Error { get; set; }

    public JsonObject Facts { get; } = [];

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["step"] = Number,
            ["title"] = Title,
            ["passed"] = Passed,
            ["summary"] = Summary,
        };
        if (Error is not null)
        {
            json["error"] = Error;
        }

        foreach (var (name, value) in Facts)
        {
            json[name] = value?.DeepClone();
        }

        return json;
    }
}
