using System.Net;
using System.Net.Sockets;

namespace Iscsi.Tests.Integration;

/// <summary>A loopback port nobody listens on (bound, read, released).</summary>
internal static class FreeTcpPort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
