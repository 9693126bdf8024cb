namespace Iscsi.Pdu;

/// <summary>SCSI Response (RFC 7143 11.4).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x21      |1|. .|o|u|O|U|.| Response      | Status        |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | reserved (8 bytes)                                            |
///   16 | Initiator Task Tag                                            |
///   20 | SNACK Tag or reserved                                         |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | ExpDataSN or reserved                                         |
///   40 | Bidirectional Read Residual Count or reserved                 |
///   44 | Residual Count or reserved                                    |
/// </code>
/// o/u are the bidirectional read residual overflow/underflow, O/U the residual overflow/underflow.
/// The data segment holds SenseLength + sense + response data (see <see cref="ScsiResponseData"/>).
/// </remarks>
public readonly struct ScsiResponse
{
    private const byte BidiOverflowBit = 0x10;
    private const byte BidiUnderflowBit = 0x08;
    private const byte OverflowBit = 0x04;
    private const byte UnderflowBit = 0x02;
    private const int ResponseOffset = 2;
    private const int StatusOffset = 3;
    private const int SnackTagOffset = 20;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int ExpDataSnOffset = 36;
    private const int BidirectionalReadResidualCountOffset = 40;
    private const int ResidualCountOffset = 44;

    public bool BidiOverflow { get; init; }
    public bool BidiUnderflow { get; init; }
    public bool Overflow { get; init; }
    public bool Underflow { get; init; }
    /// <summary>0 = command completed at target, 1 = target failure.</summary>
    public byte Response { get; init; }
    /// <summary>SCSI status (valid when Response is 0).</summary>
    public byte Status { get; init; }
    public int DataSegmentLength { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint SnackTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public uint ExpDataSn { get; init; }
    public uint BidirectionalReadResidualCount { get; init; }
    public uint ResidualCount { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(Bhs.FinalBit
                          | BhsFields.FlagIf(BidiOverflow, BidiOverflowBit)
                          | BhsFields.FlagIf(BidiUnderflow, BidiUnderflowBit)
                          | BhsFields.FlagIf(Overflow, OverflowBit)
                          | BhsFields.FlagIf(Underflow, UnderflowBit));
        BhsFields.Begin(bhs, Opcode.ScsiResponse, immediate: false, flags, DataSegmentLength);
        bhs[ResponseOffset] = Response;
        bhs[StatusOffset] = Status;
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, SnackTagOffset, SnackTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        BhsFields.Put(bhs, ExpDataSnOffset, ExpDataSn);
        BhsFields.Put(bhs, BidirectionalReadResidualCountOffset, BidirectionalReadResidualCount);
        BhsFields.Put(bhs, ResidualCountOffset, ResidualCount);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out ScsiResponse pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.ScsiResponse))
        {
            pdu = default;
            return false;
        }
        pdu = new ScsiResponse
        {
            BidiOverflow = BhsFields.Flag(bhs, BidiOverflowBit),
            BidiUnderflow = BhsFields.Flag(bhs, BidiUnderflowBit),
            Overflow = BhsFields.Flag(bhs, OverflowBit),
            Underflow = BhsFields.Flag(bhs, UnderflowBit),
            Response = bhs[ResponseOffset],
            Status = bhs[StatusOffset],
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            SnackTag = BhsFields.U32(bhs, SnackTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            ExpDataSn = BhsFields.U32(bhs, ExpDataSnOffset),
            BidirectionalReadResidualCount = BhsFields.U32(bhs, BidirectionalReadResidualCountOffset),
            ResidualCount = BhsFields.U32(bhs, ResidualCountOffset),
        };
        return true;
    }
}
