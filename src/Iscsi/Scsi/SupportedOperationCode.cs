namespace Iscsi.Scsi;

/// <summary>One command descriptor of REPORT SUPPORTED OPERATION CODES, all-commands form (SPC-5 6.35.3).</summary>
/// <remarks><code>
/// 0 | OPERATION CODE | 1 reserved | 2-3 SERVICE ACTION | 4 reserved | 5 CTDP (1) SERVACTV (0) | 6-7 CDB LENGTH
/// 8-19 | command timeouts descriptor when CTDP is set
/// </code></remarks>
public sealed class SupportedOperationCode
{
    internal SupportedOperationCode(byte opcode, ushort serviceAction, bool serviceActionValid, ushort cdbLength, CommandTimeouts? timeouts)
    {
        Opcode = opcode;
        ServiceAction = serviceAction;
        ServiceActionValid = serviceActionValid;
        CdbLength = cdbLength;
        Timeouts = timeouts;
    }

    public byte Opcode { get; }
    public ushort ServiceAction { get; }
    public bool ServiceActionValid { get; }
    public ushort CdbLength { get; }
    public CommandTimeouts? Timeouts { get; }
    public string Name => CdbInfo.Name(Opcode);

    public override string ToString() => ServiceActionValid ? $"{Name} SA {ServiceAction:X2}h" : Name;
}
