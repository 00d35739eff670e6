using System.Text;
using System.Text.Json;

namespace Writ.Gateway.Mcp;

/// <summary>The JSON-RPC errors the gateway answers with.</summary>
internal static class JsonRpcErrors
{
    /// <summary>A call Writ refused (server-defined range).</summary>
    public const int Refused = -32001;

    /// <summary>The upstream failed (unreachable, timed out, or answered something that is not MCP).</summary>
    public const int UpstreamFailed = -32002;

    /// <summary>The words an agent sees for a refusal reason: what was wrong, not which policy said so.</summary>
    public static string Describe(string reason) => reason switch
    {
        "intent.undeclared_tool" => "the tool is not part of the task's declared intent",
        "intent.undeclared_target" => "the target is not part of the task's declared intent for this tool",
        "intent.sensitivity_exceeded" => "the data is above the task's sensitivity ceiling",
        "policy.forbid" => "a policy forbids this call",
        "policy.no_permit" => "no policy permits this call",
        "task.expired" => "the task has expired",
        "task.completed" or "task.cancelled" or "task.revoked" => "the task has ended (" + reason[5..] + ")",
        "task.unknown" or "task.mismatch" => "the task is not known to Writ",
        "agent.suspended" or "agent.retired" or "agent.unknown" => "the agent is not active",
        "audit.unavailable" => "the call cannot be recorded in the audit log right now; try again later",
        "decision.unavailable" => "the decision cannot be made right now; try again later",
        "call.invalid" or "call.invalid_arguments" => "the call's name, target or arguments are not acceptable",
        "target.unknown" => "the call's target cannot be found from its arguments",
        "credential.unavailable" => "the upstream credential for this task is not available",
        "batch.refused" => "another call in the same batch was refused, so none was forwarded",
        _ => "the call was refused",
    };

    public static byte[] Error(string? id, int code, string message, string? reason = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, id, code, message, reason);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, string? id, int code, string message, string? reason)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(id, skipInputValidation: false);
        }

        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        if (reason is not null)
        {
            writer.WriteStartObject("data");
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string Refusal(string reason) => "Writ refused the call: " + Describe(reason) + " (" + reason + ")";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
