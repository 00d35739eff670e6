namespace Writ.Core.Revocation;

/// <summary>Where and how a <see cref="RevocationSubscriber"/> follows the revocation event stream.</summary>
public sealed class RevocationSubscriberOptions
{
    /// <summary>The stream's URL, e.g. <c>https://writ.example/revocations/v1/events</c>.</summary>
    public required Uri EventsUri { get; init; }

    /// <summary>The <c>Authorization</c> header value for each connection (an admin bearer token or client Basic credentials).</summary>
    public required Func<CancellationToken, ValueTask<string>> Authorization { get; init; }

    /// <summary>The first wait after a failed or lost connection; doubled per failure up to <see cref="MaxBackoff"/>. Default 100 ms.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between reconnections. Default 10 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection silent for this long (no event and no heartbeat) is considered dead and replaced.
    /// Keep it above the server's heartbeat interval. Default 45 seconds.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The most revocations held (see <see cref="RevocationSet"/>). Default 1,000,000.</summary>
    public int Capacity { get; init; } = 1_000_000;

    /// <summary>Lines longer than this end the connection as malformed. Default 16 KiB.</summary>
    public int MaxLineLength { get; init; } = 16 * 1024;
}
