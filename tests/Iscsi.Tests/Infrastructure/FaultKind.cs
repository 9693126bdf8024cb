namespace Iscsi.Tests.Infrastructure;

/// <summary>What a <see cref="FaultRule"/> does to the stream it is armed on.</summary>
public enum FaultKind
{
    /// <summary>Close both sockets of the connection once a byte count is reached.</summary>
    Drop,

    /// <summary>Stop forwarding, for a while or until <see cref="FaultRule.Release"/>.</summary>
    Stall,

    /// <summary>Wait before each forward (one-shot: before the next forward only).</summary>
    Delay,

    /// <summary>Invert one bit of one PDU's header (BHS) or data segment.</summary>
    FlipBit,
}
