namespace Iscsi.Pdu;

/// <summary>Login Response (RFC 7143 11.13).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x23      |T|C|. .|CSG|NSG| Version-max   | Version-active|
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | ISID (6 bytes)                                |  TSIH         |
///   16 | Initiator Task Tag                                            |
///   20 | reserved                                                      |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | Status-Class  | Status-Detail | reserved                      |
///   40 | reserved (8 bytes)                                            |
/// </code>
/// </remarks>
public readonly struct LoginResponse
{
    private const int VersionMaxOffset = 2;
    private const int VersionActiveOffset = 3;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int StatusClassOffset = 36;
    private const int StatusDetailOffset = 37;

    public bool Transit { get; init; }
    public bool Continue { get; init; }
    public byte CurrentStage { get; init; }
    public byte NextStage { get; init; }
    public byte VersionMax { get; init; }
    public byte VersionActive { get; init; }
    public int DataSegmentLength { get; init; }
    /// <summary>The 48-bit ISID in the low bits.</summary>
    public ulong Isid { get; init; }
    public ushort Tsih { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    /// <summary>0 success, 1 redirection, 2 initiator error, 3 target error (RFC 7143 11.13.5).</summary>
    public byte StatusClass { get; init; }
    public byte StatusDetail { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.LoginResponse, immediate: false,
            LoginRequest.StageFlags(Transit, Continue, CurrentStage, NextStage), DataSegmentLength);
        bhs[VersionMaxOffset] = VersionMax;
        bhs[VersionActiveOffset] = VersionActive;
        LoginRequest.WriteIsid(bhs, Isid);
        BhsFields.Put(bhs, LoginRequest.TsihOffset, Tsih);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        bhs[StatusClassOffset] = StatusClass;
        bhs[StatusDetailOffset] = StatusDetail;
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out LoginResponse pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.LoginResponse))
        {
            pdu = default;
            return false;
        }
        byte flags = bhs[Bhs.FlagsOffset];
        pdu = new LoginResponse
        {
            Transit = (flags & LoginRequest.TransitBit) != 0,
            Continue = (flags & LoginRequest.ContinueBit) != 0,
            CurrentStage = (byte)((flags >> LoginRequest.CurrentStageShift) & LoginRequest.StageMask),
            NextStage = (byte)(flags & LoginRequest.StageMask),
            VersionMax = bhs[VersionMaxOffset],
            VersionActive = bhs[VersionActiveOffset],
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
            Isid = LoginRequest.ReadIsid(bhs),
            Tsih = BhsFields.U16(bhs, LoginRequest.TsihOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            StatusClass = bhs[StatusClassOffset],
            StatusDetail = bhs[StatusDetailOffset],
        };
        return true;
    }
}
