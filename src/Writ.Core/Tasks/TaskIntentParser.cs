using System.Text.Json;
using System.Xml;

namespace Writ.Core.Tasks;

/// <summary>
/// Strict reader of <c>writ_task</c> authorization details (RFC 9396): every member known, every
/// string bounded and printable, no duplicates, bounded counts. Anything else is refused with why.
/// </summary>
public static class TaskIntentParser
{
    /// <summary>Longest purpose, in characters.</summary>
    public const int MaxPurposeLength = 512;

    /// <summary>Most tools one intent may declare.</summary>
    public const int MaxTools = 32;

    /// <summary>Most targets one tool may declare.</summary>
    public const int MaxTargetsPerTool = 32;

    /// <summary>Longest tool name.</summary>
    public const int MaxToolLength = 128;

    /// <summary>Longest target.</summary>
    public const int MaxTargetLength = 256;

    /// <summary>Longest duration Writ accepts in an intent (the configured maximum lowers it further).</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Parses the <c>authorization_details</c> parameter: a JSON array holding exactly one object of type
    /// <c>writ_task</c>. <paramref name="defaultDuration"/> is used when <c>max_duration</c> is absent.
    /// </summary>
    public static TaskIntentResult ParseDetails(string? text, TimeSpan defaultDuration)
    {
        if (string.IsNullOrEmpty(text))
        {
            return TaskIntentResult.Fail("'authorization_details' is required: a JSON array with one object of type 'writ_task'");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException)
        {
            return TaskIntentResult.Fail("'authorization_details' is not valid JSON (or nests too deeply)");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return TaskIntentResult.Fail("'authorization_details' must be a JSON array (RFC 9396)");
            }

            if (root.GetArrayLength() != 1)
            {
                return TaskIntentResult.Fail("'authorization_details' must hold exactly one object of type 'writ_task'");
            }

            return Read(root[0], defaultDuration);
        }
    }

    /// <summary>Parses one <c>writ_task</c> object (max_duration required).</summary>
    public static TaskIntentResult ParseObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return Read(document.RootElement, null);
        }
        catch (JsonException)
        {
            return TaskIntentResult.Fail("the intent is not valid JSON");
        }
    }

    /// <summary>Reads one <c>writ_task</c> object from an element (max_duration required).</summary>
    public static TaskIntentResult Read(JsonElement element, TimeSpan? defaultDuration)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return TaskIntentResult.Fail("each authorization details entry must be a JSON object");
        }

        string? type = null, purpose = null, sensitivityText = null, durationText = null;
        JsonElement? tools = null;
        foreach (var member in element.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type" when type is null:
                    type = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : string.Empty;
                    break;
                case "purpose" when purpose is null:
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        return TaskIntentResult.Fail("'purpose' must be a string");
                    }

                    purpose = member.Value.GetString();
                    break;
                case "tools" when tools is null:
                    tools = member.Value;
                    break;
                case "sensitivity" when sensitivityText is null:
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        return TaskIntentResult.Fail("'sensitivity' must be a string");
                    }

                    sensitivityText = member.Value.GetString();
                    break;
                case "max_duration" when durationText is null:
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        return TaskIntentResult.Fail("'max_duration' must be an ISO 8601 duration string, e.g. \"PT10M\"");
                    }

                    durationText = member.Value.GetString();
                    break;
                case "type" or "purpose" or "tools" or "sensitivity" or "max_duration":
                    return TaskIntentResult.Fail($"'{member.Name}' appears more than once");
                default:
                    return TaskIntentResult.Fail($"unknown member '{Clip(member.Name)}' in a writ_task object (allowed: type, purpose, tools, sensitivity, max_duration)");
            }
        }

        if (type != TaskIntent.Type)
        {
            return TaskIntentResult.Fail(type is null
                ? "the authorization details entry has no 'type'"
                : $"authorization details type '{Clip(type)}' is not supported; use 'writ_task'");
        }

        if (string.IsNullOrWhiteSpace(purpose) || purpose.Length > MaxPurposeLength || purpose.Any(char.IsControl))
        {
            return TaskIntentResult.Fail($"'purpose' is required: 1 to {MaxPurposeLength} characters without control characters");
        }

        if (sensitivityText is null || !SensitivityNames.TryParse(sensitivityText, out var sensitivity))
        {
            return TaskIntentResult.Fail("'sensitivity' is required: one of public, internal, confidential, restricted");
        }

        TimeSpan duration;
        if (durationText is null)
        {
            if (defaultDuration is null)
            {
                return TaskIntentResult.Fail("'max_duration' is required");
            }

            duration = defaultDuration.Value;
        }
        else if (!TryParseDuration(durationText, out duration))
        {
            return TaskIntentResult.Fail($"'max_duration' must be a positive ISO 8601 duration of at most {XmlConvert.ToString(LongestDuration)}, e.g. \"PT10M\"");
        }

        if (tools is not { ValueKind: JsonValueKind.Array } toolArray || toolArray.GetArrayLength() == 0)
        {
            return TaskIntentResult.Fail("'tools' is required: a non-empty array of {\"tool\": \"toolset.tool\", \"targets\": [\"...\"]}");
        }

        if (toolArray.GetArrayLength() > MaxTools)
        {
            return TaskIntentResult.Fail($"at most {MaxTools} tools may be declared");
        }

        var grants = new List<ToolGrant>(toolArray.GetArrayLength());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in toolArray.EnumerateArray())
        {
            var grant = ReadTool(entry, out var error);
            if (grant is null)
            {
                return TaskIntentResult.Fail(error!);
            }

            if (!seen.Add(grant.Tool))
            {
                return TaskIntentResult.Fail($"tool '{grant.Tool}' is declared more than once; list all its targets in one entry");
            }

            grants.Add(grant);
        }

        return TaskIntentResult.Ok(new TaskIntent(purpose, grants, sensitivity, duration));
    }

    /// <summary>An ISO 8601 duration (<c>PT10M</c>, <c>P1D</c>) of at least one second and no longer than <see cref="LongestDuration"/>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length > 32 || text[0] != 'P' || text.Any(c => char.IsWhiteSpace(c) || char.IsLower(c)))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return false;
        }

        // Task tokens count time in whole seconds, so a task shorter than one second could never be used.
        return duration >= TimeSpan.FromSeconds(1) && duration <= LongestDuration;
    }

    /// <summary>A tool name: <c>&lt;toolset&gt;.&lt;tool&gt;</c>, printable ASCII without spaces.</summary>
    public static bool IsToolName(string? tool)
    {
        if (string.IsNullOrEmpty(tool) || tool.Length > MaxToolLength)
        {
            return false;
        }

        var dot = tool.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == tool.Length - 1)
        {
            return false;
        }

        for (var i = 0; i < tool.Length; i++)
        {
            var c = tool[i];
            var ok = i < dot
                ? char.IsAsciiLetterOrDigit(c) || c is '_' or '-'
                : char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A target: 1 to <see cref="MaxTargetLength"/> characters without whitespace or control characters.</summary>
    public static bool IsTarget(string? target)
    {
        if (string.IsNullOrEmpty(target) || target.Length > MaxTargetLength)
        {
            return false;
        }

        // Every decision checks its target, so a plain loop rather than LINQ over the characters.
        foreach (var c in target)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private static ToolGrant? ReadTool(JsonElement entry, out string? error)
    {
        error = null;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            error = "each entry of 'tools' must be an object {\"tool\", \"targets\"}";
            return null;
        }

        string? tool = null;
        JsonElement? targets = null;
        foreach (var member in entry.EnumerateObject())
        {
            switch (member.Name)
            {
                case "tool" when tool is null && member.Value.ValueKind == JsonValueKind.String:
                    tool = member.Value.GetString();
                    break;
                case "targets" when targets is null:
                    targets = member.Value;
                    break;
                default:
                    error = $"a 'tools' entry has an unknown, repeated or mistyped member '{Clip(member.Name)}' (allowed: tool as a string, targets as an array)";
                    return null;
            }
        }

        if (!IsToolName(tool))
        {
            error = $"each tool must be named '<toolset>.<tool>' (letters, digits, _ - . / :), at most {MaxToolLength} characters";
            return null;
        }

        if (targets is not { ValueKind: JsonValueKind.Array } targetArray || targetArray.GetArrayLength() == 0)
        {
            error = $"tool '{tool}' needs a non-empty 'targets' array";
            return null;
        }

        if (targetArray.GetArrayLength() > MaxTargetsPerTool)
        {
            error = $"tool '{tool}' declares more than {MaxTargetsPerTool} targets";
            return null;
        }

        var list = new List<string>(targetArray.GetArrayLength());
        foreach (var item in targetArray.EnumerateArray())
        {
            var target = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!IsTarget(target))
            {
                error = $"each target of tool '{tool}' must be a string of 1 to {MaxTargetLength} characters without whitespace or control characters";
                return null;
            }

            if (list.Contains(target!, StringComparer.Ordinal))
            {
                error = $"target '{target}' is declared twice for tool '{tool}'";
                return null;
            }

            list.Add(target!);
        }

        return new ToolGrant(tool!, list);
    }

    private static string Clip(string text)
    {
        var clean = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? clean + "…" : clean;
    }
}

/// <summary>A parsed intent, or why it was refused.</summary>
/// <param name="Intent">The intent when valid.</param>
/// <param name="Error">Why not, in words safe to return.</param>
public sealed record TaskIntentResult(TaskIntent? Intent, string? Error)
{
    internal static TaskIntentResult Ok(TaskIntent intent) => new(intent, null);

    internal static TaskIntentResult Fail(string error) => new(null, error);
}
