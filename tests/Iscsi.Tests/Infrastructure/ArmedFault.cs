namespace Iscsi.Tests.Infrastructure;

/// <summary>A <see cref="FaultRule"/> armed on one direction of one connection, with that connection's progress
/// towards the rule's trigger.</summary>
internal sealed class ArmedFault(FaultRule rule, long triggerAtByte)
{
    public FaultRule Rule { get; } = rule;

    /// <summary>Drop/Stall: the direction's byte count (since the connection opened) at which the fault acts.</summary>
    public long TriggerAtByte { get; } = triggerAtByte;

    /// <summary>FlipBit: PDUs of this connection that matched the rule so far.</summary>
    public int Matches { get; set; }

    /// <summary>Acted (or lost a one-shot rule to another connection): nothing more to do on this connection.</summary>
    public bool Done { get; set; }

    public bool IsLive => !Done && !Rule.IsDisarmed;
}
