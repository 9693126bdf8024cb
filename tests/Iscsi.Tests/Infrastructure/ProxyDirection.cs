namespace Iscsi.Tests.Infrastructure;

/// <summary>One of the two byte streams of a proxied connection.</summary>
public enum ProxyDirection
{
    /// <summary>What the initiator sends (client socket to target socket): commands, Data-Out, NOP-Out...</summary>
    InitiatorToTarget,

    /// <summary>What the target sends back: Data-In, SCSI Response, R2T, NOP-In...</summary>
    TargetToInitiator,
}
