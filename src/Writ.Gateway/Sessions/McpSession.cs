namespace Writ.Gateway.Sessions;

/// <summary>The MCP session header and the refusal reasons the gateway records for it.</summary>
internal static class McpSession
{
    public const string Header = "Mcp-Session-Id";

    /// <summary>The session id belongs to another task or agent.</summary>
    public const string Foreign = "session.foreign";

    /// <summary>This gateway never saw the session created, or it has ended or expired.</summary>
    public const string Unknown = "session.unknown";

    private const int MaxLength = 1024;

    /// <summary>Whether <paramref name="id"/> is a session id as MCP defines it: visible ASCII only (and not absurdly long).</summary>
    public static bool IsWellFormed(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is < '\x21' or > '\x7e')
            {
                return false;
            }
        }

        return true;
    }
}
