using System.Net;
using System.Net.Sockets;

namespace Writ.Cli.Tests.Support;

internal static class Ports
{
    // A loopback port nothing listens on right now (the OS picked it, then it was released).
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
