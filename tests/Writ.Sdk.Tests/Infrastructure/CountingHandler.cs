namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>Counts the SDK's token requests on their way to the real server.</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private int tokenRequests;

    public CountingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public int TokenRequests => Volatile.Read(ref tokenRequests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath == "/oauth2/token")
        {
            Interlocked.Increment(ref tokenRequests);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
