namespace Iscsi.Pdu;

/// <summary>Logout Request (RFC 7143 11.14).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| 0x06      |1| Reason Code | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | reserved (8 bytes)                                            |
///   16 | Initiator Task Tag                                            |
///   20 | CID or reserved               | reserved                      |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN                                                     |
///   32 | reserved (16 bytes)                                           |
/// </code>
/// Reason codes are <see cref="LogoutReason"/> values.
/// </remarks>
public readonly struct LogoutRequest
{
    private const byte ReasonCodeMask = 0x7f;
    private const int CidOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public bool Immediate { get; init; }
    /// <summary>7 bits.</summary>
    public byte ReasonCode { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public ushort Cid { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(Bhs.FinalBit | BhsFields.CheckFits(ReasonCode, ReasonCodeMask, nameof(ReasonCode)));
        BhsFields.Begin(bhs, Opcode.LogoutRequest, Immediate, flags, dataSegmentLength: 0);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, CidOffset, Cid);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out LogoutRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.LogoutRequest))
        {
            pdu = default;
            return false;
        }
        pdu = new LogoutRequest
        {
            Immediate = Bhs.IsImmediate(bhs),
            ReasonCode = (byte)(bhs[Bhs.FlagsOffset] & ReasonCodeMask),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            Cid = BhsFields.U16(bhs, CidOffset),
            CmdSn = BhsFields.U32(bhs, CmdSnOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
        };
        return true;
    }
}
