namespace Iscsi.Pdu;

/// <summary>Logout Response (RFC 7143 11.15).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x26      |1| reserved    | Response      | reserved      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | reserved (8 bytes)                                            |
///   16 | Initiator Task Tag                                            |
///   20 | reserved                                                      |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | reserved                                                      |
///   40 | Time2Wait                     | Time2Retain                   |
///   44 | reserved                                                      |
/// </code>
/// Response values are <see cref="LogoutResponseCode"/>.
/// </remarks>
public readonly struct LogoutResponse
{
    private const int ResponseOffset = 2;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;
    private const int Time2WaitOffset = 40;
    private const int Time2RetainOffset = 42;

    public byte Response { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    /// <summary>Seconds to wait before reconnecting to recover tasks.</summary>
    public ushort Time2Wait { get; init; }
    /// <summary>Seconds the target keeps task state after Time2Wait.</summary>
    public ushort Time2Retain { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.LogoutResponse, immediate: false, Bhs.FinalBit, dataSegmentLength: 0);
        bhs[ResponseOffset] = Response;
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
        BhsFields.Put(bhs, Time2WaitOffset, Time2Wait);
        BhsFields.Put(bhs, Time2RetainOffset, Time2Retain);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out LogoutResponse pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.LogoutResponse))
        {
            pdu = default;
            return false;
        }
        pdu = new LogoutResponse
        {
            Response = bhs[ResponseOffset],
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
            Time2Wait = BhsFields.U16(bhs, Time2WaitOffset),
            Time2Retain = BhsFields.U16(bhs, Time2RetainOffset),
        };
        return true;
    }
}
