using System.Net;
using System.Net.Sockets;

namespace Iscsi.Tests.Infrastructure;

/// <summary>A bare TCP listener on 127.0.0.1 that hands each accepted socket to the test: the "target" end of a
/// <see cref="FaultProxy"/> self-test, so the test writes both sides of the stream byte for byte.</summary>
internal sealed class LoopbackServer : IDisposable
{
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public LoopbackServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>Opens a client connection through <paramref name="proxy"/> and returns both ends.</summary>
    public async Task<(Socket Initiator, Socket Target)> ConnectThroughAsync(FaultProxy proxy)
    {
        var initiator = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await initiator.ConnectAsync(proxy.Host, proxy.Port).WaitAsync(AcceptTimeout);
        var target = await _listener.AcceptSocketAsync().WaitAsync(AcceptTimeout);
        target.NoDelay = true;
        return (initiator, target);
    }

    public void Dispose() => _listener.Stop();
}
