using System.Buffers;
using System.Text.Json;
using System.Xml;

namespace Writ.Core.Tasks;

/// <summary>
/// A task's intent: why (purpose), which tools on which targets, the sensitivity ceiling and how long.
/// Carried as one RFC 9396 authorization details object of type <c>writ_task</c>.
/// </summary>
/// <param name="Purpose">What the task is for, in words.</param>
/// <param name="Tools">The tools and their targets.</param>
/// <param name="Sensitivity">The highest sensitivity of data the task may touch.</param>
/// <param name="MaxDuration">The longest the task may run.</param>
public sealed record TaskIntent(string Purpose, IReadOnlyList<ToolGrant> Tools, Sensitivity Sensitivity, TimeSpan MaxDuration)
{
    /// <summary>The RFC 9396 <c>type</c> of a task intent.</summary>
    public const string Type = "writ_task";

    /// <summary>True when <paramref name="tool"/> is declared.</summary>
    public bool Declares(string tool) => Find(tool) is not null;

    /// <summary>True when <paramref name="tool"/> is declared with <paramref name="target"/>.</summary>
    public bool Declares(string tool, string target) =>
        Find(tool) is { } grant && grant.Targets.Contains(target, StringComparer.Ordinal);

    /// <summary>The grant of <paramref name="tool"/>, or null.</summary>
    public ToolGrant? Find(string tool)
    {
        foreach (var grant in Tools)
        {
            if (string.Equals(grant.Tool, tool, StringComparison.Ordinal))
            {
                return grant;
            }
        }

        return null;
    }

    /// <summary>Writes the intent as its <c>writ_task</c> object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteString("purpose", Purpose);
        writer.WriteStartArray("tools");
        foreach (var grant in Tools)
        {
            writer.WriteStartObject();
            writer.WriteString("tool", grant.Tool);
            writer.WriteStartArray("targets");
            foreach (var target in grant.Targets)
            {
                writer.WriteStringValue(target);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("sensitivity", SensitivityNames.Of(Sensitivity));
        writer.WriteString("max_duration", XmlConvert.ToString(MaxDuration));
        writer.WriteEndObject();
    }

    /// <summary>The intent as compact JSON text (how it is stored).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads an intent written by <see cref="ToJson"/> (stored or signed by Writ); throws <see cref="FormatException"/> when it is not one.</summary>
    public static TaskIntent FromJson(string json)
    {
        var parsed = TaskIntentParser.ParseObject(json);
        return parsed.Intent ?? throw new FormatException("not a writ_task intent: " + parsed.Error);
    }
}
