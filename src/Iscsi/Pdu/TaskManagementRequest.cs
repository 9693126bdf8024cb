namespace Iscsi.Pdu;

/// <summary>Task Management Function Request (RFC 7143 11.5): ABORT TASK, LOGICAL UNIT RESET...</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| 0x02      |1| Function    | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength (both 0)                    |
///    8 | LUN or reserved (8 bytes)                                     |
///   16 | Initiator Task Tag                                            |
///   20 | Referenced Task Tag or 0xffffffff                             |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN                                                     |
///   32 | RefCmdSN or reserved                                          |
///   36 | ExpDataSN or reserved                                         |
///   40 | reserved (8 bytes)                                            |
/// </code>
/// Function values are <see cref="Iscsi.Session.TaskManagementFunction"/>.
/// </remarks>
public readonly struct TaskManagementRequest
{
    private const byte FunctionMask = 0x7f;
    private const int ReferencedTaskTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;
    private const int RefCmdSnOffset = 32;
    private const int ExpDataSnOffset = 36;

    public bool Immediate { get; init; }
    /// <summary>7 bits.</summary>
    public byte Function { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint ReferencedTaskTag { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }
    public uint RefCmdSn { get; init; }
    public uint ExpDataSn { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        byte flags = (byte)(Bhs.FinalBit | BhsFields.CheckFits(Function, FunctionMask, nameof(Function)));
        BhsFields.Begin(bhs, Opcode.TaskManagementRequest, Immediate, flags, dataSegmentLength: 0);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, ReferencedTaskTagOffset, ReferencedTaskTag);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
        BhsFields.Put(bhs, RefCmdSnOffset, RefCmdSn);
        BhsFields.Put(bhs, ExpDataSnOffset, ExpDataSn);
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out TaskManagementRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.TaskManagementRequest))
        {
            pdu = default;
            return false;
        }
        pdu = new TaskManagementRequest
        {
            Immediate = Bhs.IsImmediate(bhs),
            Function = (byte)(bhs[Bhs.FlagsOffset] & FunctionMask),
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            ReferencedTaskTag = BhsFields.U32(bhs, ReferencedTaskTagOffset),
            CmdSn = BhsFields.U32(bhs, CmdSnOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
            RefCmdSn = BhsFields.U32(bhs, RefCmdSnOffset),
            ExpDataSn = BhsFields.U32(bhs, ExpDataSnOffset),
        };
        return true;
    }
}
