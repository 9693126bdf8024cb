namespace Iscsi.Tests.Infrastructure;

/// <summary>Which connections of a <see cref="FaultProxy"/> a <see cref="FaultRule"/> is armed on.</summary>
public enum FaultScope
{
    /// <summary>Every connection open when the rule is added and every one accepted later.</summary>
    AllConnections,

    /// <summary>Only the first connection accepted after the rule is added (e.g. an initiator's reconnect).</summary>
    NextConnection,
}
