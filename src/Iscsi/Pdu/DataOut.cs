namespace Iscsi.Pdu;

/// <summary>SCSI Data-Out (RFC 7143 11.7): write data, unsolicited or in answer to an R2T.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x05      |F| reserved    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag                                            |
///   20 | Target Transfer Tag or 0xffffffff                             |
///   24 | reserved                                                      |
///   28 | ExpStatSN                                                     |
///   32 | reserved                                                      |
///   36 | DataSN                                                        |
///   40 | Buffer Offset                                                 |
///   44 | reserved                                                      |
/// </code>
/// </remarks>
public readonly struct DataOut
{
    private const int TargetTransferTagOffset = 20;
    private const int ExpStatSnOffset = 28;
    private const int DataSnOffset = 36;
    private const int BufferOffsetOffset = 40;

    /// <summary>Last PDU of the sequence (of an R2T's burst or of the unsolicited data).</summary>
    public bool Final { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint ExpStatSn { get; init; }
    public uint DataSn { get; init; }
    public uint BufferOffset { get; init; }
    public int DataSegmentLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.DataOut, immediate: false, BhsFields.FlagIf(Final, Bhs.FinalBit), DataSegmentLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
        BhsFields.Put(bhs, DataSnOffset, DataSn);
        BhsFields.Put(bhs, BufferOffsetOffset, BufferOffset);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out DataOut pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.DataOut))
        {
            pdu = default;
            return false;
        }
        pdu = new DataOut
        {
            Final = BhsFields.Flag(bhs, Bhs.FinalBit),
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
            DataSn = BhsFields.U32(bhs, DataSnOffset),
            BufferOffset = BhsFields.U32(bhs, BufferOffsetOffset),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
        };
        return true;
    }
}
