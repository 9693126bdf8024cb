namespace Iscsi.Pdu;

/// <summary>Ready To Transfer, R2T (RFC 7143 11.8): the target asks for a range of write data.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x31      |1| reserved    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength (0)                         |
///    8 | LUN (8 bytes)                                                 |
///   16 | Initiator Task Tag                                            |
///   20 | Target Transfer Tag                                           |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | R2TSN                                                         |
///   40 | Buffer Offset                                                 |
///   44 | Desired Data Transfer Length                                  |
/// </code>
/// </remarks>
public readonly struct ReadyToTransfer
{
    private const int TargetTransferTagOffset = 20;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int R2TSnOffset = 36;
    private const int BufferOffsetOffset = 40;
    private const int DesiredDataTransferLengthOffset = 44;

    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public uint R2TSn { get; init; }
    public uint BufferOffset { get; init; }
    public uint DesiredDataTransferLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.ReadyToTransfer, immediate: false, Bhs.FinalBit, dataSegmentLength: 0);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        BhsFields.Put(bhs, R2TSnOffset, R2TSn);
        BhsFields.Put(bhs, BufferOffsetOffset, BufferOffset);
        BhsFields.Put(bhs, DesiredDataTransferLengthOffset, DesiredDataTransferLength);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out ReadyToTransfer pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.ReadyToTransfer))
        {
            pdu = default;
            return false;
        }
        pdu = new ReadyToTransfer
        {
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            R2TSn = BhsFields.U32(bhs, R2TSnOffset),
            BufferOffset = BhsFields.U32(bhs, BufferOffsetOffset),
            DesiredDataTransferLength = BhsFields.U32(bhs, DesiredDataTransferLengthOffset),
        };
        return true;
    }
}
