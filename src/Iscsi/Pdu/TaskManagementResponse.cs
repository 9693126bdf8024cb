namespace Iscsi.Pdu;

/// <summary>Task Management Function Response (RFC 7143 11.6).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|.| 0x22      |1| reserved    | Response      | reserved      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | reserved (8 bytes)                                            |
///   16 | Initiator Task Tag                                            |
///   20 | reserved                                                      |
///   24 | StatSN                                                        |
///   28 | ExpCmdSN                                                      |
///   32 | MaxCmdSN                                                      |
///   36 | reserved (12 bytes)                                           |
/// </code>
/// Response values are <see cref="Iscsi.Session.TaskManagementResponseCode"/>.
/// </remarks>
public readonly struct TaskManagementResponse
{
    private const int ResponseOffset = 2;
    private const int StatSnOffset = 24;
    private const int ExpCmdSnOffset = 28;
    private const int MaxCmdSnOffset = 32;

    public byte Response { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint StatSn { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        BhsFields.Begin(bhs, Opcode.TaskManagementResponse, immediate: false, Bhs.FinalBit, dataSegmentLength: 0);
        bhs[ResponseOffset] = Response;
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, StatSnOffset, StatSn);
        BhsFields.Put(bhs, ExpCmdSnOffset, ExpCmdSn);
        BhsFields.Put(bhs, MaxCmdSnOffset, MaxCmdSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out TaskManagementResponse pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.TaskManagementResponse))
        {
            pdu = default;
            return false;
        }
        pdu = new TaskManagementResponse
        {
            Response = bhs[ResponseOffset],
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            StatSn = BhsFields.U32(bhs, StatSnOffset),
            ExpCmdSn = BhsFields.U32(bhs, ExpCmdSnOffset),
            MaxCmdSn = BhsFields.U32(bhs, MaxCmdSnOffset),
        };
        return true;
    }
}
