namespace Iscsi.Pdu;

/// <summary>Asynchronous Message (RFC 7143 11.9): an unsolicited event from the target.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x32      |1| reserved    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | 0xffffffff                                                    |
///   20 | reserved                                                      |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | AsyncEvent    | AsyncVCode    | Parameter1 or reserved        |
///   40 | Parameter2 or reserved        | Parameter3 or reserved        |
///   44 | reserved                                                      |
/// </code>
/// AsyncEvent values are <see cref="AsyncEventCode"/>. For a SCSI event the data segment holds
/// SenseLength + sense data, like a SCSI Response (<see cref="ScsiResponseData"/>).
/// </remarks>
public readonly struct AsyncMessage
{
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int AsyncEventOffset = 36;
    private const int AsyncVCodeOffset = 37;
    private const int Parameter1Offset = 38;
    private const int Parameter2Offset = 40;
    private const int Parameter3Offset = 42;

    public ulong Lun { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public byte AsyncEvent { get; init; }
    public byte AsyncVCode { get; init; }
    public ushort Parameter1 { get; init; }
    public ushort Parameter2 { get; init; }
    public ushort Parameter3 { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.AsyncMessage, immediate: false, Bhs.FinalBit, DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, Bhs.ReservedTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        bhs[AsyncEventOffset] = AsyncEvent;
        bhs[AsyncVCodeOffset] = AsyncVCode;
        BhsFields.Put(bhs, Parameter1Offset, Parameter1);
        BhsFields.Put(bhs, Parameter2Offset, Parameter2);
        BhsFields.Put(bhs, Parameter3Offset, Parameter3);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out AsyncMessage pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.AsyncMessage))
        {
            pdu = default;
            return false;
        }
        pdu = new AsyncMessage
        {
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            AsyncEvent = bhs[AsyncEventOffset],
            AsyncVCode = bhs[AsyncVCodeOffset],
            Parameter1 = BhsFields.U16(bhs, Parameter1Offset),
            Parameter2 = BhsFields.U16(bhs, Parameter2Offset),
            Parameter3 = BhsFields.U16(bhs, Parameter3Offset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
