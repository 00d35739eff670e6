using System.Text.Json;

namespace Writ.Core.Tasks;

/// <summary>One call to decide.</summary>
/// <param name="Tool">The tool (<c>toolset.tool</c>), the resource URI or the prompt name, by <see cref="Kind"/>.</param>
/// <param name="Target">The system or resource the call acts on, e.g. <c>repo:acme/web</c>.</param>
/// <param name="Kind">Tool call, resource read or prompt get.</param>
public sealed record CallRequest(string Tool, string Target, CallKind Kind = CallKind.ToolCall)
{
    /// <summary>The call's arguments: a JSON object, or null for none.</summary>
    public JsonElement? Arguments { get; init; }

    /// <summary>The sensitivity of the data the call touches, when the caller knows it; the task's ceiling otherwise.</summary>
    public Sensitivity? Sensitivity { get; init; }

    /// <summary>Risk signals the caller passes; none by default.</summary>
    public RiskSignals Risk { get; init; } = RiskSignals.None;

    /// <summary>The W3C trace id of the request, for the audit record.</summary>
    public string? TraceId { get; init; }
}

/// <summary>Risk signals a caller passes with a call.</summary>
/// <param name="Score">0 (no risk) to 100.</param>
/// <param name="Signals">Named signals, e.g. <c>new_device</c>, <c>prompt_injection_suspected</c>.</param>
public sealed record RiskSignals(int Score, IReadOnlyList<string> Signals)
{
    /// <summary>No risk signals.</summary>
    public static readonly RiskSignals None = new(0, []);
}
