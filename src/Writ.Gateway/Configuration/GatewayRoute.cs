using System.Text.Json;

namespace Writ.Gateway.Configuration;

/// <summary>The kinds of upstream.</summary>
internal enum UpstreamKind
{
    /// <summary>An MCP server over Streamable HTTP.</summary>
    Mcp,

    /// <summary>An MCP server over stdio, launched by the gateway.</summary>
    Stdio,

    /// <summary>An HTTP API whose operations are named as tools.</summary>
    Http,
}

/// <summary>How the upstream credential is supplied.</summary>
internal enum CredentialKind
{
    /// <summary>No credential.</summary>
    None,

    /// <summary>A brokered secret from a connection, injected by the gateway.</summary>
    Connection,

    /// <summary>A downstream access token by token exchange (RFC 8693 with an RFC 8707 resource).</summary>
    TokenExchange,
}

/// <summary>How a call's target is found.</summary>
/// <param name="Fixed">The fixed target, or null.</param>
/// <param name="Argument">The argument that gives the target, or null.</param>
/// <param name="Prefix">Written before the argument's value.</param>
internal sealed record TargetRule(string? Fixed, string? Argument, string Prefix)
{
    /// <summary>The target of a call with <paramref name="arguments"/>, or null when it cannot be found.</summary>
    public string? Derive(JsonElement? arguments)
    {
        if (Fixed is not null)
        {
            return Fixed;
        }

        if (arguments is { ValueKind: JsonValueKind.Object } args && args.TryGetProperty(Argument!, out var value) && value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            return string.IsNullOrEmpty(text) ? null : Prefix + text;
        }

        return null;
    }
}

/// <summary>An HTTP API operation: method and path template, named as a tool.</summary>
internal sealed record HttpOperation(string Method, string[] Segments, string Tool, TargetRule Target);

/// <summary>One validated route.</summary>
internal sealed record GatewayRoute(
    string Path,
    UpstreamKind Kind,
    Uri? Url,
    string? Command,
    IReadOnlyList<string> Args,
    string Toolset,
    CredentialKind Credential,
    string? Connection,
    string? Resource,
    TargetRule? Target,
    IReadOnlyDictionary<string, TargetRule> ToolTargets,
    IReadOnlyList<HttpOperation> Operations)
{
    /// <summary>This route's idle limit for <c>GET</c> event streams, or null for the gateway's.</summary>
    public TimeSpan? StreamIdleTimeout { get; init; }

    /// <summary>The decision's tool name for the MCP tool <paramref name="mcpTool"/>.</summary>
    public string ToolName(string mcpTool) => Toolset + "." + mcpTool;

    /// <summary>The target rule for the MCP tool <paramref name="mcpTool"/>, or null when none applies.</summary>
    public TargetRule? TargetFor(string mcpTool) => ToolTargets.TryGetValue(mcpTool, out var rule) ? rule : Target;
}
