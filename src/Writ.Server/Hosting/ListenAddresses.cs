using System.Net;

namespace Writ.Server.Hosting;

/// <summary>Facts about the addresses Kestrel listens on.</summary>
internal static class ListenAddresses
{
    /// <summary>True when <paramref name="url"/> serves plain HTTP somewhere other than loopback.</summary>
    public static bool IsPlainHttpBeyondLoopback(string url)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hostStart = "http://".Length;
        var rest = url[hostStart..];
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !IPAddress.TryParse(host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address);
    }
}
