using System.Net.Sockets;

namespace Iscsi.Tests.Infrastructure;

/// <summary>One accepted initiator connection and its connection to the target, pumped both ways.</summary>
internal sealed class ProxyConnection
{
    private readonly Socket _initiator, _target;
    private readonly ProxyPump _toTarget, _toInitiator;
    private int _closed;

    public ProxyConnection(Socket initiator, Socket target, FaultProxy proxy)
    {
        _initiator = initiator;
        _target = target;
        var loginPhase = new LoginPhase();
        _toTarget = new ProxyPump(this, ProxyDirection.InitiatorToTarget, initiator, target, proxy, loginPhase);
        _toInitiator = new ProxyPump(this, ProxyDirection.TargetToInitiator, target, initiator, proxy, loginPhase);
    }

    public void Arm(FaultRule rule)
        => (rule.Direction == ProxyDirection.InitiatorToTarget ? _toTarget : _toInitiator).Arm(rule);

    /// <summary>Pumps both directions until both ends closed (or the connection was dropped), then releases the sockets.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            PumpAsync(_toTarget, _target, cancellationToken),
            PumpAsync(_toInitiator, _initiator, cancellationToken)).ConfigureAwait(false);
        Drop(DropStyle.Graceful); // both directions ended: only the sockets are left to release
    }

    /// <summary>Closes both sockets (at most once); the pumps end with the socket errors this causes.</summary>
    public void Drop(DropStyle style)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        foreach (var socket in new[] { _initiator, _target })
        {
            try
            {
                if (style == DropStyle.Reset)
                    socket.LingerState = new LingerOption(true, 0); // close sends RST instead of FIN
                else
                    socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already reset by the peer: closing is all that is left.
            }
            socket.Dispose();
        }
    }

    private async Task PumpAsync(ProxyPump pump, Socket destination, CancellationToken cancellationToken)
    {
        try
        {
            if (await pump.RunAsync(cancellationToken).ConfigureAwait(false) == PumpEnd.SourceClosed)
                destination.Shutdown(SocketShutdown.Send); // pass the half-close on; the other direction goes on
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // A reset on one side, a drop, or the proxy stopping: pass it on to the other side as a reset.
            Drop(DropStyle.Reset);
        }
    }
}
