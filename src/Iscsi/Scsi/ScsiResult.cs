namespace Iscsi.Scsi;

/// <summary>Everything known about one completed SCSI command: the object the cmdlets emit.</summary>
public sealed class ScsiResult
{
    public required int Lun { get; init; }
    public required byte[] Cdb { get; init; }
    public required ScsiStatus Status { get; init; }
    /// <summary>iSCSI Response field (0 = Command Completed at Target).</summary>
    public byte IscsiResponse { get; init; }
    public SenseData? Sense { get; init; }
    public ResidualKind ResidualKind { get; init; }
    public uint ResidualCount { get; init; }
    /// <summary>Residual of the read direction of a bidirectional command (RFC 7143 o/u bits).</summary>
    public ResidualKind BidirectionalResidualKind { get; init; }
    public uint BidirectionalResidualCount { get; init; }
    /// <summary>Bytes of Data-In received (into the caller's buffers and OverflowData).</summary>
    public int DataInLength { get; init; }
    /// <summary>Bytes of Data-Out sent.</summary>
    public int DataOutLength { get; init; }
    /// <summary>Data-In that did not fit in the caller's buffers (empty when it all fit).</summary>
    public byte[] OverflowData { get; init; } = [];
    /// <summary>The Data-In bytes when the engine owned the buffer (no caller buffer given); otherwise empty. A byte[]
    /// (not a Memory) so that PowerShell pipes it to Format-Hex and serializes it with the result.</summary>
    public byte[] Data { get; init; } = [];
    public TimeSpan Duration { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint CmdSn { get; init; }

    public bool IsGood => Status == ScsiStatus.Good && IscsiResponse == 0;

    public override string ToString() => ScsiOutcomeText.Of(Status, Sense, DataInLength, DataOutLength, ResidualKind, ResidualCount);
}
