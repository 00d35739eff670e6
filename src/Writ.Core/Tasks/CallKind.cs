namespace Writ.Core.Tasks;

/// <summary>What a call does, which picks the Cedar action.</summary>
public enum CallKind
{
    /// <summary>An MCP tool call or an API operation: <c>CallTool</c> on a <c>Tool</c>.</summary>
    ToolCall,

    /// <summary>An MCP resource read: <c>ReadResource</c> on a <c>Resource</c> (by URI).</summary>
    ResourceRead,

    /// <summary>An MCP prompt get: <c>GetPrompt</c> on a <c>Prompt</c> (by name).</summary>
    PromptGet,
}
