using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>SUPPORT field of the one-command form (SPC-5 table 252).</summary>
public enum CommandSupport : byte
{
    NotAvailable = 0,
    NotSupported = 1,
    SupportedAsStandard = 3,
    SupportedVendorSpecific = 5,
}

/// <summary>REPORT SUPPORTED OPERATION CODES one-command form (REPORTING OPTIONS 001b-011b, SPC-5 6.35.3).</summary>
/// <remarks><code>
/// 0   | reserved                                 |
/// 1   | CTDP (7) | SUPPORT (2-0)                 |
/// 2-3 | CDB SIZE (n-3)                           |
/// 4-n | CDB USAGE DATA (bit mask of usable bits) |
/// then a command timeouts descriptor when CTDP is set
/// </code></remarks>
public sealed class OneCommandSupport
{
    private const int HeaderLength = 4;

    private OneCommandSupport() { }

    public CommandSupport Support { get; private init; }
    public bool IsSupported => Support is CommandSupport.SupportedAsStandard or CommandSupport.SupportedVendorSpecific;
    public ushort CdbSize { get; private init; }
    /// <summary>CDB USAGE DATA: byte 0 is the opcode, then a mask of the bits the device looks at.</summary>
    public byte[] CdbUsageData { get; private init; } = [];
    public CommandTimeouts? Timeouts { get; private init; }

    public static OneCommandSupport Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "REPORT SUPPORTED OPERATION CODES one-command data");
        bool ctdp = (data[1] & 0x80) != 0;
        ushort cdbSize = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (cdbSize > 260)
            throw ScsiData.Malformed($"REPORT SUPPORTED OPERATION CODES CDB SIZE {cdbSize} is larger than any CDB.");
        return new OneCommandSupport
        {
            Support = (CommandSupport)(data[1] & 0x07),
            CdbSize = cdbSize,
            CdbUsageData = ScsiData.SliceAvailable(data, HeaderLength, cdbSize).ToArray(),
            Timeouts = ctdp ? CommandTimeouts.TryParse(ScsiData.SliceAvailable(data, HeaderLength + cdbSize, CommandTimeouts.Length)) : null,
        };
    }
}
