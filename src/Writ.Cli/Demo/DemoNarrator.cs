using System.Text.Json.Nodes;
using Writ.Cli.Output;

namespace Writ.Cli.Demo;

// Tells the scenario as it runs (to a person), runs each step so that one failure does not hide the others,
// and ends with the summary table, or with one JSON document under --json.
internal sealed class DemoNarrator(CliContext context, bool json)
{
    private readonly CommandOutput output = new(context, json);
    private readonly List<DemoStep> steps = [];

    public bool Json => json;

    public IReadOnlyList<DemoStep> Steps => steps;

    public bool AllPassed => steps.Count > 0 && steps.All(s => s.Passed);

    public void Say(string text = "")
    {
        if (!json)
        {
            output.WriteLine(text);
        }
    }

    // An indented line under the current step: what happened, as evidence.
    public void Detail(string text) => Say("    " + text);

    public void Allowed(string text) => Say("    ✓ " + text);

    public void Denied(string text) => Say("    ✗ " + text);

    public async Task<DemoStep> RunAsync(int number, string title, Func<DemoStep, Task> body, CancellationToken cancellationToken)
    {
        var step = new DemoStep(number, title);
        steps.Add(step);
        Say();
        Say($"Step {number}. {title}");
        try
        {
            await body(step);
            step.Passed = step.Error is null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            step.Passed = false;
            step.Error = e is DemoException or CliException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            Say("    FAILED: " + step.Error);
        }

        if (step.Summary.Length == 0)
        {
            step.Summary = step.Error ?? string.Empty;
        }

        return step;
    }

    public void WriteSummary(JsonObject document)
    {
        if (json)
        {
            document["passed"] = AllPassed;
            document["steps"] = new JsonArray([.. steps.Select(s => (JsonNode)s.ToJson())]);
            output.WriteJson(document);
            return;
        }

        Say();
        output.WriteTable(
            [
                Column.Of("STEP", "step"),
                Column.Wrapping("WHAT", "title"),
                Column.Of("RESULT", "result"),
                Column.Wrapping("EVIDENCE", "summary"),
            ],
            steps.Select(s => new JsonObject
            {
                ["step"] = s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["title"] = s.Title,
                ["result"] = s.Passed ? "as expected" : "FAILED",
                ["summary"] = s.Summary,
            }),
            "No step ran.");
        Say(AllPassed
            ? "Every step behaved as Writ promises."
            : $"{steps.Count(s => !s.Passed)} step(s) did not behave as expected; see the messages above.");
    }
}
