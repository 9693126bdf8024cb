namespace Iscsi.Pdu;

/// <summary>Text Response (RFC 7143 11.11).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x24      |F|C| reserved  | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag                                            |
///   20 | Target Transfer Tag or 0xffffffff                             |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | reserved (12 bytes)                                           |
/// </code>
/// When F is 0 the target has more to say: answer with an empty Text Request carrying this TTT.
/// </remarks>
public readonly struct TextResponse
{
    private const int TargetTransferTagOffset = 20;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;

    public bool Final { get; init; }
    public bool Continue { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(BhsFields.FlagIf(Final, Bhs.FinalBit) | BhsFields.FlagIf(Continue, TextRequest.ContinueBit));
        BhsFields.Begin(bhs, Opcode.TextResponse, immediate: false, flags, DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out TextResponse pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.TextResponse))
        {
            pdu = default;
            return false;
        }
        pdu = new TextResponse
        {
            Final = BhsFields.Flag(bhs, Bhs.FinalBit),
            Continue = BhsFields.Flag(bhs, TextRequest.ContinueBit),
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
