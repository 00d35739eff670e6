namespace Writ.Sdk;

/// <summary>How a <see cref="WritClient"/> reaches Writ and proves which agent it is.</summary>
public sealed class WritClientOptions
{
    /// <summary>Writ's base URL (its issuer), e.g. <c>http://127.0.0.1:7600</c>. Required.</summary>
    public Uri? WritUrl { get; set; }

    /// <summary>How the agent attests. Required.</summary>
    public AgentAttestation? Attestation { get; set; }

    /// <summary>The clock for expiry and renewal; the system clock unless set (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The handler every request to Writ goes through (proxies, TLS settings, test counters). The client
    /// does not dispose it. Null uses a new <see cref="SocketsHttpHandler"/> owned by the client.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// The share of an identity token's lifetime after which it is renewed: a random point between this
    /// and <see cref="RenewLatest"/>, so many agents do not renew at the same instant. Default 0.6.
    /// </summary>
    public double RenewEarliest { get; set; } = 0.6;

    /// <summary>The latest share of the lifetime at which renewal starts. Default 0.8.</summary>
    public double RenewLatest { get; set; } = 0.8;

    /// <summary>How long one request to Writ may take. Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (WritUrl is null || !WritUrl.IsAbsoluteUri || (WritUrl.Scheme != Uri.UriSchemeHttps && WritUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("WritUrl must be Writ's absolute http(s) URL, e.g. http://127.0.0.1:7600", nameof(WritUrl));
        }

        if (Attestation is null)
        {
            throw new ArgumentException("Attestation is required: a join token, a registered key or an external token provider", nameof(Attestation));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (RenewEarliest is <= 0 or >= 1 || RenewLatest is <= 0 or >= 1 || RenewEarliest > RenewLatest)
        {
            throw new ArgumentException("RenewEarliest and RenewLatest are shares of the lifetime with 0 < earliest <= latest < 1", nameof(RenewEarliest));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
        }
    }
}
