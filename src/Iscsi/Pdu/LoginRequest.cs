namespace Iscsi.Pdu;

/// <summary>Login Request (RFC 7143 11.12).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|1| 0x03      |T|C|. .|CSG|NSG| Version-max   | Version-min   |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | ISID (6 bytes)                                |  TSIH         |
///   16 | Initiator Task Tag                                            |
///   20 | CID                           | reserved                      |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN or reserved                                         |
///   32 | reserved (16 bytes)                                           |
/// </code>
/// The I bit is always 1: a Login Request is an immediate command. Stages are <see cref="LoginStage"/> values.
/// </remarks>
public readonly struct LoginRequest
{
    internal const byte TransitBit = 0x80;
    internal const byte ContinueBit = 0x40;
    internal const int CurrentStageShift = 2;
    internal const byte StageMask = 0x03;
    internal const int IsidOffset = 8;
    internal const int TsihOffset = 14;
    internal const ulong MaxIsid = 0xFFFF_FFFF_FFFF;
    private const int VersionMaxOffset = 2;
    private const int VersionMinOffset = 3;
    private const int CidOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public bool Transit { get; init; }
    public bool Continue { get; init; }
    public byte CurrentStage { get; init; }
    public byte NextStage { get; init; }
    public byte VersionMax { get; init; }
    public byte VersionMin { get; init; }
    public int DataSegmentLength { get; init; }
    /// <summary>The 48-bit ISID in the low bits (T/A, B, C, D fields as one number).</summary>
    public ulong Isid { get; init; }
    public ushort Tsih { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public ushort Cid { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.LoginRequest, immediate: true,
            StageFlags(Transit, Continue, CurrentStage, NextStage), DataSegmentLength);
        bhs[VersionMaxOffset] = VersionMax;
        bhs[VersionMinOffset] = VersionMin;
        WriteIsid(bhs, Isid);
        BhsFields.Put(bhs, TsihOffset, Tsih);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, CidOffset, Cid);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out LoginRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.LoginRequest))
        {
            pdu = default;
            return false;
        }
        byte flags = bhs[Bhs.FlagsOffset];
        pdu = new LoginRequest
        {
            Transit = (flags & TransitBit) != 0,
            Continue = (flags & ContinueBit) != 0,
            CurrentStage = (byte)((flags >> CurrentStageShift) & StageMask),
            NextStage = (byte)(flags & StageMask),
            VersionMax = bhs[VersionMaxOffset],
            VersionMin = bhs[VersionMinOffset],
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
            Isid = ReadIsid(bhs),
            Tsih = BhsFields.U16(bhs, TsihOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            Cid = BhsFields.U16(bhs, CidOffset),
            CmdSn = BhsFields.U32(bhs, CmdSnOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
        };
        return true;
    }

    /// <summary>Byte 1 of Login Request and Response: T, C, CSG and NSG.</summary>
    internal static byte StageFlags(bool transit, bool @continue, byte currentStage, byte nextStage) =>
        (byte)(BhsFields.FlagIf(transit, TransitBit)
             | BhsFields.FlagIf(@continue, ContinueBit)
             | (BhsFields.CheckFits(currentStage, StageMask, "CurrentStage") << CurrentStageShift)
             | BhsFields.CheckFits(nextStage, StageMask, "NextStage"));

    /// <summary>ISID is 6 bytes at offset 8: the top 16 bits then the low 32 bits of the 48-bit value.</summary>
    internal static void WriteIsid(Span<byte> bhs, ulong isid)
    {
        if (isid > MaxIsid)
            throw new IscsiArgumentException("IsidOutOfRange", $"ISID 0x{isid:X} does not fit 48 bits.");
        BhsFields.Put(bhs, IsidOffset, (ushort)(isid >> 32));
        BhsFields.Put(bhs, IsidOffset + 2, (uint)isid);
    }

    internal static ulong ReadIsid(ReadOnlySpan<byte> bhs) =>
        ((ulong)BhsFields.U16(bhs, IsidOffset) << 32) | BhsFields.U32(bhs, IsidOffset + 2);
}
