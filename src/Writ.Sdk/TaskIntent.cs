using System.Text.Json;
using System.Xml;

namespace Writ.Sdk;

/// <summary>
/// What a task is for and what it will touch: its purpose, the tools and targets, a sensitivity ceiling
/// and a maximum duration. Sent as one <c>writ_task</c> entry of RFC 9396 <c>authorization_details</c>;
/// Writ grants it (possibly narrowed by policy) or refuses it.
/// </summary>
/// <param name="Purpose">Why, in words a reviewer understands.</param>
/// <param name="Tools">The tools and targets; nothing outside them will be allowed.</param>
/// <param name="Sensitivity">The sensitivity ceiling.</param>
/// <param name="MaxDuration">The longest the task may run; Writ may shorten it. Null lets Writ choose.</param>
public sealed record TaskIntent(string Purpose, IReadOnlyList<ToolGrant> Tools, TaskSensitivity Sensitivity, TimeSpan? MaxDuration = null)
{
    /// <summary>The <c>authorization_details</c> parameter: a JSON array with this one <c>writ_task</c> object.</summary>
    public string ToAuthorizationDetails()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Purpose);
        if (Tools is null || Tools.Count == 0)
        {
            throw new ArgumentException("a task declares at least one tool", nameof(Tools));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("type", "writ_task");
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
            writer.WriteString("sensitivity", Sensitivity.ToString().ToLowerInvariant());
            if (MaxDuration is { } duration)
            {
                // Writ counts task time in whole seconds.
                writer.WriteString("max_duration", XmlConvert.ToString(TimeSpan.FromSeconds(Math.Max(1, Math.Floor(duration.TotalSeconds)))));
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
