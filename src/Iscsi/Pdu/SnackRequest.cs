namespace Iscsi.Pdu;

/// <summary>SNACK Request (RFC 7143 11.16): asks the target to resend Data-In/R2T/status, or acknowledges data.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x10      |1|.|.|.| Type  | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag or 0xffffffff                              |
///   20 | Target Transfer Tag or SNACK Tag or 0xffffffff                |
///   24 | reserved                                                      |
///   28 | ExpStatSN                                                     |
///   32 | reserved (8 bytes)                                            |
///   40 | BegRun                                                        |
///   44 | RunLength                                                     |
/// </code>
/// Type values are <see cref="SnackType"/>.
/// </remarks>
public readonly struct SnackRequest
{
    private const byte TypeMask = 0x0f;
    private const int TargetTransferTagOffset = 20;
    private const int ExpStatSnOffset = 28;
    private const int BegRunOffset = 40;
    private const int RunLengthOffset = 44;

    /// <summary>4 bits.</summary>
    public byte Type { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>The TTT of the acknowledged data (DataACK) or the SNACK Tag (R-Data).</summary>
    public uint TargetTransferTag { get; init; }
    public uint ExpStatSn { get; init; }
    public uint BegRun { get; init; }
    /// <summary>0 means "everything from BegRun on".</summary>
    public uint RunLength { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(Bhs.FinalBit | BhsFields.CheckFits(Type, TypeMask, nameof(Type)));
        BhsFields.Begin(bhs, Opcode.SnackRequest, immediate: false, flags, dataSegmentLength: 0);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, TargetTransferTagOffset, TargetTransferTag);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
        BhsFields.Put(bhs, BegRunOffset, BegRun);
        BhsFields.Put(bhs, RunLengthOffset, RunLength);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out SnackRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.SnackRequest))
        {
            pdu = default;
            return false;
        }
        pdu = new SnackRequest
        {
            Type = (byte)(bhs[Bhs.FlagsOffset] & TypeMask),
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            TargetTransferTag = BhsFields.U32(bhs, TargetTransferTagOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
            BegRun = BhsFields.U32(bhs, BegRunOffset),
            RunLength = BhsFields.U32(bhs, RunLengthOffset),
        };
        return true;
    }
}
