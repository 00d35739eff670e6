namespace Writ.Gateway.Configuration;

/// <summary>The configuration file is missing, unreadable or invalid; the message lists every problem found.</summary>
internal sealed class GatewayConfigException(string message) : Exception(message);
