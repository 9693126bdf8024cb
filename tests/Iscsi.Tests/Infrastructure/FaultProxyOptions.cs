namespace Iscsi.Tests.Infrastructure;

/// <summary>What a <see cref="FaultProxy"/> must know about the iSCSI connections it carries.</summary>
public sealed record FaultProxyOptions
{
    /// <summary>The sessions negotiate HeaderDigest=CRC32C: full feature phase PDUs carry a 4-byte header digest.
    /// Must match what the initiator and target agree, or the proxy's PDU boundaries (and so flips) go wrong.</summary>
    public bool HeaderDigest { get; init; }

    /// <summary>The sessions negotiate DataDigest=CRC32C: full feature phase data segments carry a 4-byte digest.</summary>
    public bool DataDigest { get; init; }

    /// <summary>How long the proxy tries to reach the target for each accepted connection before resetting it.</summary>
    public TimeSpan TargetConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
