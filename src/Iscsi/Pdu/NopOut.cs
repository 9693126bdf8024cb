namespace Iscsi.Pdu;

/// <summary>NOP-Out (RFC 7143 11.18): a ping from the initiator, or the answer to a target's NOP-In.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| 0x00      |1| reserved    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag (0xffffffff when answering a NOP-In)       |
///   20 | Target Transfer Tag (0xffffffff on an initiator ping)         |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN                                                     |
///   32 | reserved (16 bytes)                                           |
/// </code>
/// The data segment (ping data) is echoed by the target.
/// </remarks>
public readonly struct NopOut
{
    private const int TargetTransferTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public bool Immediate { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.NopOut, Immediate, Bhs.FinalBit, DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out NopOut pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.NopOut))
        {
            pdu = default;
            return false;
        }
        pdu = new NopOut
        {
            Immediate = Bhs.IsImmediate(bhs),
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            CmdSn = BhsFields.U32(bhs, CmdSnOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
