using System.Buffers.Binary;
using Iscsi.Pdu;

namespace Iscsi.Tests.Fakes;

/// <summary>One PDU the fake target read from the initiator: its BHS and its data segment (no padding, no digests).</summary>
internal sealed class ReceivedPdu
{
    // Every initiator PDU that carries CmdSN/ExpStatSN has them here (RFC 7143 11.3, 11.5, 11.10, 11.14, 11.18);
    // a Data-Out has ExpStatSN at 28 and nothing at 24.
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public ReceivedPdu(byte[] header, byte[] data, int connectionIndex)
    {
        Header = header;
        Data = data;
        ConnectionIndex = connectionIndex;
    }

    public byte[] Header { get; }
    public byte[] Data { get; }
    /// <summary>Which accepted connection (0, 1, ...) it came on.</summary>
    public int ConnectionIndex { get; }

    public Opcode Opcode => Bhs.GetOpcode(Header);
    public bool Immediate => Bhs.IsImmediate(Header);
    public uint InitiatorTaskTag => Bhs.GetInitiatorTaskTag(Header);
    public uint CmdSn => BinaryPrimitives.ReadUInt32BigEndian(Header.AsSpan(CmdSnOffset));
    public uint ExpStatSn => BinaryPrimitives.ReadUInt32BigEndian(Header.AsSpan(ExpStatSnOffset));

    /// <summary>A non-immediate command takes a CmdSN of the window (RFC 7143 4.2.2.1); Data-Out and SNACK carry none.</summary>
    public bool ConsumesCmdSn => !Immediate && Opcode is Opcode.ScsiCommand or Opcode.TaskManagementRequest
        or Opcode.TextRequest or Opcode.LogoutRequest or Opcode.NopOut;

    public ScsiCommandRequest ScsiCommand => Parse<ScsiCommandRequest>(ScsiCommandRequest.TryRead(Header, out var p), p);
    public NopOut NopOut => Parse<NopOut>(NopOut.TryRead(Header, out var p), p);
    public TaskManagementRequest TaskManagement => Parse<TaskManagementRequest>(TaskManagementRequest.TryRead(Header, out var p), p);
    public LogoutRequest Logout => Parse<LogoutRequest>(LogoutRequest.TryRead(Header, out var p), p);
    public DataOut DataOut => Parse<DataOut>(DataOut.TryRead(Header, out var p), p);

    private T Parse<T>(bool ok, T value) => ok ? value
        : throw new InvalidOperationException($"The PDU is {Opcode}, not {typeof(T).Name}.");

    public override string ToString() => $"{Opcode} ITT 0x{InitiatorTaskTag:X8}{(Immediate ? " (I)" : "")} CmdSN {CmdSn}, {Data.Length} data bytes";
}
