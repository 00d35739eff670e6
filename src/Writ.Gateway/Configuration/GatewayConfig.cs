namespace Writ.Gateway.Configuration;

/// <summary>The gateway's configuration file (<c>writ gateway --config gateway.json</c>), as read; <see cref="GatewayConfigLoader"/> validates it.</summary>
internal sealed class GatewayConfig
{
    /// <summary>Where the Writ control plane is and how to follow its revocations.</summary>
    public WritConfig? Writ { get; set; }

    /// <summary>The audience task tokens must carry to be accepted here.</summary>
    public string? Audience { get; set; }

    /// <summary>The URLs the gateway listens on.</summary>
    public List<string>? Urls { get; set; }

    /// <summary>The URL agents reach the gateway by (for protected resource metadata); the first listen URL when absent.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The store shared with Writ (decisions read task and agent state, and the audit log is written there).</summary>
    public StorageConfig? Storage { get; set; }

    /// <summary>Limits on requests and upstream calls.</summary>
    public LimitsConfig? Limits { get; set; }

    /// <summary>Routes: a path prefix each, to one upstream.</summary>
    public List<RouteConfig>? Routes { get; set; }
}

/// <summary>The Writ control plane the gateway enforces for.</summary>
internal sealed class WritConfig
{
    /// <summary>Writ's issuer URL (the <c>iss</c> of task tokens).</summary>
    public string? Issuer { get; set; }

    /// <summary>The trust domain of the agents, e.g. <c>acme.test</c>.</summary>
    public string? TrustDomain { get; set; }

    /// <summary>Writ's JWKS; <c>&lt;issuer&gt;/.well-known/jwks.json</c> when absent.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Writ's revocation stream; <c>&lt;issuer&gt;/revocations/v1/events</c> when absent.</summary>
    public string? RevocationsUri { get; set; }

    /// <summary>An unscoped admin token for the revocation stream (prefer <see cref="TokenFile"/>).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the admin token for the revocation stream.</summary>
    public string? TokenFile { get; set; }

    /// <summary>A client id, with <see cref="ClientSecret"/>, for the revocation stream (HTTP Basic).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret for the revocation stream.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token endpoint for downstream token exchange; <c>&lt;issuer&gt;/oauth2/token</c> when absent.</summary>
    public string? TokenEndpoint { get; set; }
}

/// <summary>The store the gateway shares with Writ.</summary>
internal sealed class StorageConfig
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>SQLite: Writ's data directory (holds <c>writ.db</c> and, unless configured otherwise, <c>root.key</c>).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>PostgreSQL: the connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding Writ's root key (else <c>WRIT_ROOT_KEY</c> or the data directory's <c>root.key</c>).</summary>
    public string? RootKeyFile { get; set; }
}

/// <summary>Limits.</summary>
internal sealed class LimitsConfig
{
    /// <summary>The largest request body accepted, in bytes (default 4 MiB).</summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>How long an upstream may stay silent before the call fails with 504, in seconds (default 100).</summary>
    public double? UpstreamTimeoutSeconds { get; set; }

    /// <summary>How long an MCP <c>GET</c> event stream (the server's own messages) may stay quiet before the gateway closes it, in seconds (default 3600).</summary>
    public double? StreamIdleTimeoutSeconds { get; set; }
}

/// <summary>One route: requests under <see cref="Path"/> go to one upstream.</summary>
internal sealed class RouteConfig
{
    /// <summary>The path prefix, e.g. <c>/mcp/github</c>.</summary>
    public string? Path { get; set; }

    /// <summary><c>mcp</c> (Streamable HTTP), <c>stdio</c> (a process the gateway launches) or <c>http</c> (an HTTP API).</summary>
    public string? Kind { get; set; }

    /// <summary>The upstream URL (mcp and http).</summary>
    public string? Url { get; set; }

    /// <summary>The command to launch (stdio).</summary>
    public string? Command { get; set; }

    /// <summary>The command's arguments (stdio).</summary>
    public List<string>? Args { get; set; }

    /// <summary>The toolset: MCP tool <c>x</c> is decided as tool <c>&lt;toolset&gt;.x</c>.</summary>
    public string? Toolset { get; set; }

    /// <summary>How the upstream credential is supplied.</summary>
    public CredentialConfig? Credential { get; set; }

    /// <summary>How a call's target is found (for every tool without its own).</summary>
    public TargetConfig? Target { get; set; }

    /// <summary>Per-tool target derivation, by MCP tool name.</summary>
    public Dictionary<string, TargetConfig>? Tools { get; set; }

    /// <summary>HTTP APIs: the operations, each named as a tool.</summary>
    public List<OperationConfig>? Operations { get; set; }

    /// <summary>mcp: this route's idle limit for <c>GET</c> event streams, in seconds, over <c>limits.streamIdleTimeoutSeconds</c>.</summary>
    public double? StreamIdleTimeoutSeconds { get; set; }
}

/// <summary>How the upstream credential is supplied.</summary>
internal sealed class CredentialConfig
{
    /// <summary><c>none</c>, <c>connection</c> (a brokered secret) or <c>token-exchange</c> (a downstream token).</summary>
    public string? Kind { get; set; }

    /// <summary>connection: the connection's name.</summary>
    public string? Connection { get; set; }

    /// <summary>token-exchange: the resource (RFC 8707) the downstream token is for.</summary>
    public string? Resource { get; set; }
}

/// <summary>How a call's target is found: fixed, or from an argument.</summary>
internal sealed class TargetConfig
{
    /// <summary>A fixed target, e.g. <c>db:orders</c>.</summary>
    public string? Fixed { get; set; }

    /// <summary>The argument whose value gives the target, e.g. <c>repository</c>.</summary>
    public string? Argument { get; set; }

    /// <summary>Written before the argument's value, e.g. <c>repo:</c>.</summary>
    public string? Prefix { get; set; }
}

/// <summary>An HTTP API operation named as a tool.</summary>
internal sealed class OperationConfig
{
    /// <summary>The HTTP method.</summary>
    public string? Method { get; set; }

    /// <summary>The path template under the route, e.g. <c>/invoices/{id}</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The tool name, e.g. <c>billing.get_invoice</c>.</summary>
    public string? Tool { get; set; }

    /// <summary>The operation's target derivation (path parameters and query parameters are its arguments).</summary>
    public TargetConfig? Target { get; set; }
}
