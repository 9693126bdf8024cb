namespace Iscsi.Tests.Infrastructure;

/// <summary>How a <see cref="FaultProxy"/> closes a connection it drops.</summary>
public enum DropStyle
{
    /// <summary>Abortive close (SO_LINGER 0): both peers get a TCP RST, like a crashed box or a cut cable.
    /// Bytes already forwarded but not yet read by a peer may be lost with the reset.</summary>
    Reset,

    /// <summary>Orderly close (FIN after the bytes already forwarded): each peer reads exactly what was forwarded, then end of stream.</summary>
    Graceful,
}
