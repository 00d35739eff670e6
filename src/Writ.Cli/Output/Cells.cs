using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Writ.Cli.Output;

// Turns JSON values into short table text; "-" marks an absent value so columns never look shifted.
internal static class Cells
{
    public const string Missing = "-";

    public static string Text(JsonNode? node) => node switch
    {
        null => Missing,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => NonEmpty(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Null => Missing,
        JsonArray array => array.Count == 0 ? Missing : string.Join(", ", array.Select(Text)),
        _ => node.ToJsonString(),
    };

    // RFC 3339 from the server, shown as UTC to the second: what a reader needs to compare times at a glance.
    public static string Time(JsonNode? node)
    {
        var text = Text(node);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }

    private static string NonEmpty(string text) => string.IsNullOrEmpty(text) ? Missing : text;
}
