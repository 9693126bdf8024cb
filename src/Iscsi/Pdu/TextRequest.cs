namespace Iscsi.Pdu;

/// <summary>Text Request (RFC 7143 11.10): key=value negotiation after login, and SendTargets discovery.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| 0x04      |F|C| reserved  | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag                                            |
///   20 | Target Transfer Tag or 0xffffffff                             |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN                                                     |
///   32 | reserved (16 bytes)                                           |
/// </code>
/// C (Continue) says the text in this PDU is not complete and more follows.
/// </remarks>
public readonly struct TextRequest
{
    internal const byte ContinueBit = 0x40;
    private const int TargetTransferTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public bool Immediate { get; init; }
    public bool Final { get; init; }
    public bool Continue { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(BhsFields.FlagIf(Final, Bhs.FinalBit) | BhsFields.FlagIf(Continue, ContinueBit));
        BhsFields.Begin(bhs, Opcode.TextRequest, Immediate, flags, DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out TextRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.TextRequest))
        {
            pdu = default;
            return false;
        }
        pdu = new TextRequest
        {
            Immediate = Bhs.IsImmediate(bhs),
            Final = BhsFields.Flag(bhs, Bhs.FinalBit),
            Continue = BhsFields.Flag(bhs, ContinueBit),
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
