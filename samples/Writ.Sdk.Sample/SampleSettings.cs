namespace Writ.Sdk.Sample;

/// <summary>The sample's settings, from environment variables so no secret sits in a command line.</summary>
internal sealed record SampleSettings(Uri WritUrl, string AgentId, string? JoinToken, string? KeyFile, string Audience, Uri? McpEndpoint)
{
    public static SampleSettings? FromEnvironment(TextWriter errors)
    {
        var url = Environment.GetEnvironmentVariable("WRIT_URL") ?? "http://127.0.0.1:7600";
        var agent = Environment.GetEnvironmentVariable("WRIT_AGENT_ID");
        var join = Environment.GetEnvironmentVariable("WRIT_JOIN_TOKEN");
        var keyFile = Environment.GetEnvironmentVariable("WRIT_AGENT_KEY_FILE");
        var audience = Environment.GetEnvironmentVariable("WRIT_AUDIENCE") ?? "https://gateway.example";
        var mcp = Environment.GetEnvironmentVariable("WRIT_MCP_URL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var writUrl) || string.IsNullOrEmpty(agent) || (join is null && keyFile is null))
        {
            errors.WriteLine("""
                usage: set
                  WRIT_URL             Writ's URL (default http://127.0.0.1:7600)
                  WRIT_AGENT_ID        the agent's SPIFFE ID, e.g. spiffe://writ.local/agent/research
                  WRIT_JOIN_TOKEN      a one-time join token (first start), and/or
                  WRIT_AGENT_KEY_FILE  a file holding the agent's registered private P-256 JWK (with kid)
                  WRIT_AUDIENCE        the gateway's audience (default https://gateway.example)
                  WRIT_MCP_URL         optional: the gateway URL of an MCP server to list tools from
                """);
            return null;
        }

        Uri? mcpEndpoint = null;
        if (mcp is not null && !Uri.TryCreate(mcp, UriKind.Absolute, out mcpEndpoint))
        {
            errors.WriteLine("WRIT_MCP_URL must be an absolute URL");
            return null;
        }

        return new SampleSettings(writUrl, agent, join, keyFile, audience, mcpEndpoint);
    }

    public AgentAttestation Attestation()
    {
        AgentAttestation? key = KeyFile is null ? null : AgentAttestation.RegisteredKey(AgentId, File.ReadAllText(KeyFile));
        return JoinToken is null ? key! : AgentAttestation.JoinToken(JoinToken, thenRenewWith: key);
    }
}
