namespace Iscsi.Pdu;

/// <summary>NOP-In (RFC 7143 11.19): the target's answer to a NOP-Out, or its own ping (then TTT is not
/// 0xffffffff and the initiator must answer with a NOP-Out carrying that TTT).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x20      |1| reserved    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag (0xffffffff when unsolicited)              |
///   20 | Target Transfer Tag (0xffffffff when no answer is wanted)     |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | reserved (12 bytes)                                           |
/// </code>
/// </remarks>
public readonly struct NopIn
{
    private const int TargetTransferTagOffset = 20;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;

    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.NopIn, immediate: false, Bhs.FinalBit, DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out NopIn pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.NopIn))
        {
            pdu = default;
            return false;
        }
        pdu = new NopIn
        {
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
