namespace Iscsi.Pdu;

/// <summary>SCSI Data-In (RFC 7143 11.7): read data; the last one may carry the status (S bit).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x25      |F|A|0 0 0|O|U|S| reserved      | Status or rsvd|
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag                                            |
///   20 | Target Transfer Tag or 0xffffffff                             |
///   24 | StatSN or reserved                                            |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | DataSN                                                        |
///   40 | Buffer Offset                                                 |
///   44 | Residual Count                                                |
/// </code>
/// StatSN, Status and the O/U residual bits are meaningful only when S is set.
/// </remarks>
public readonly struct DataIn
{
    private const byte AcknowledgeBit = 0x40;
    private const byte OverflowBit = 0x04;
    private const byte UnderflowBit = 0x02;
    private const byte StatusBit = 0x01;
    private const int StatusOffset = 3;
    private const int TargetTransferTagOffset = 20;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int DataSnOffset = 36;
    private const int BufferOffsetOffset = 40;
    private const int ResidualCountOffset = 44;

    public bool Final { get; init; }
    /// <summary>The target asks for a DataACK SNACK (ErrorRecoveryLevel &gt; 0).</summary>
    public bool Acknowledge { get; init; }
    public bool Overflow { get; init; }
    public bool Underflow { get; init; }
    /// <summary>S: this PDU carries the command's status; no SCSI Response follows.</summary>
    public bool HasStatus { get; init; }
    public byte Status { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public uint DataSn { get; init; }
    public uint BufferOffset { get; init; }
    public uint ResidualCount { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(BhsFields.FlagIf(Final, Bhs.FinalBit)
                          | BhsFields.FlagIf(Acknowledge, AcknowledgeBit)
                          | BhsFields.FlagIf(Overflow, OverflowBit)
                          | BhsFields.FlagIf(Underflow, UnderflowBit)
                          | BhsFields.FlagIf(HasStatus, StatusBit));
        BhsFields.Begin(bhs, Opcode.DataIn, immediate: false, flags, DataSegmentLength);
        bhs[StatusOffset] = Status;
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        BhsFields.Put(bhs, DataSnOffset, DataSn);
        BhsFields.Put(bhs, BufferOffsetOffset, BufferOffset);
        BhsFields.Put(bhs, ResidualCountOffset, ResidualCount);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out DataIn pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.DataIn))
        {
            pdu = default;
            return false;
        }
        pdu = new DataIn
        {
            Final = BhsFields.Flag(bhs, Bhs.FinalBit),
            Acknowledge = BhsFields.Flag(bhs, AcknowledgeBit),
            Overflow = BhsFields.Flag(bhs, OverflowBit),
            Underflow = BhsFields.Flag(bhs, UnderflowBit),
            HasStatus = BhsFields.Flag(bhs, StatusBit),
            Status = bhs[StatusOffset],
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            DataSn = BhsFields.U32(bhs, DataSnOffset),
            BufferOffset = BhsFields.U32(bhs, BufferOffsetOffset),
            ResidualCount = BhsFields.U32(bhs, ResidualCountOffset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
