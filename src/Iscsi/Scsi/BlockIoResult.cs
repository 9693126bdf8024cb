namespace Iscsi.Scsi;

/// <summary>The outcome of one <see cref="BlockIoChannel"/> read or write. A value rather than an object, so that
/// the channel's steady state allocates nothing; the sense data is only decoded (and allocated) when the target
/// sent some. As with <see cref="ScsiResult"/>, a non-GOOD status is reported here, not thrown.</summary>
public readonly struct BlockIoResult
{
    public ScsiStatus Status { get; init; }
    /// <summary>iSCSI Response field (0 = Command Completed at Target).</summary>
    public byte IscsiResponse { get; init; }
    public SenseData? Sense { get; init; }
    public ResidualKind ResidualKind { get; init; }
    public uint ResidualCount { get; init; }
    /// <summary>Bytes of Data-In received into the caller's buffer.</summary>
    public int DataInLength { get; init; }
    /// <summary>Bytes of Data-Out sent.</summary>
    public int DataOutLength { get; init; }
    public TimeSpan Duration { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint CmdSn { get; init; }

    public bool IsGood => Status == ScsiStatus.Good && IscsiResponse == 0;

    public override string ToString() => ScsiOutcomeText.Of(Status, Sense, DataInLength, DataOutLength, ResidualKind, ResidualCount);
}
