namespace Writ.Server.Endpoints.Revocation;

/// <summary>Settings of the revocation event stream (configuration section <c>Writ:Revocation</c>).</summary>
internal sealed class RevocationStreamOptions
{
    public const string Section = "Writ:Revocation";

    /// <summary>How often each process looks for events recorded by other processes. Default 100 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A comment line is sent after this much silence, so proxies and subscribers see the connection alive. Default 15 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most concurrent stream connections per process; more are answered 503. Default 1,000.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Allows push delivery to plain-http receivers on loopback (development only; set by <c>writ dev</c>).</summary>
    public bool AllowLoopbackHttpPush { get; set; }
}
