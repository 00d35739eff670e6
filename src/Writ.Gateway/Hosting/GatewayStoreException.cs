namespace Writ.Gateway.Hosting;

/// <summary>
/// The store the gateway is configured with cannot be used: it is missing, was never migrated, or its schema is not the
/// one this binary knows. An <see cref="IOException"/>, so <c>writ gateway</c> reports it as a failed start.
/// </summary>
internal sealed class GatewayStoreException : IOException
{
    public GatewayStoreException(string message)
        : base(message)
    {
    }

    public GatewayStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GatewayStoreException()
    {
    }
}
