namespace Iscsi.Tests.Infrastructure;

/// <summary>Which connections of a <see cref="FaultProxy"/> a <see cref="FaultRule"/> is armed on.</summary>
public enum FaultScope
{
    /// <summary>Every connection open when the rule is added and every one accepted later.</summary>
    AllConnections,

    /// <summary>Only the first connection the proxy sets up after the rule is added (e.g. an initiator's reconnect).
    /// A connection is set up once the proxy has reached the target for it (see <see cref="FaultProxy.ActiveConnections"/>),
    /// which can be a moment after the initiator's connect returned.</summary>
    NextConnection,
}
