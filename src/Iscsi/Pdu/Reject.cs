namespace Iscsi.Pdu;

/// <summary>Reject (RFC 7143 11.17): the target refuses a PDU; the data segment is that PDU's BHS.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x3f      |1| reserved    | Reason        | reserved      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | reserved (8 bytes)                                            |
///   16 | 0xffffffff                                                    |
///   20 | reserved                                                      |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | DataSN/R2TSN or reserved                                      |
///   40 | reserved (8 bytes)                                            |
/// </code>
/// Reason values are <see cref="RejectReason"/>; the rejected command's ITT is found in the
/// rejected BHS carried as data (bytes 16-19 of it), not in this header.
/// </remarks>
public readonly struct Reject
{
    private const int ReasonOffset = 2;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int DataSnOrR2TSnOffset = 36;

    public byte Reason { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    /// <summary>For a rejected SNACK: the DataSN or R2TSN it asked for.</summary>
    public uint DataSnOrR2TSn { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.Reject, immediate: false, Bhs.FinalBit, DataSegmentLength);
        bhs[ReasonOffset] = Reason;
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, Bhs.ReservedTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        BhsFields.Put(bhs, DataSnOrR2TSnOffset, DataSnOrR2TSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out Reject pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.Reject))
        {
            pdu = default;
            return false;
        }
        pdu = new Reject
        {
            Reason = bhs[ReasonOffset],
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            DataSnOrR2TSn = BhsFields.U32(bhs, DataSnOrR2TSnOffset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
