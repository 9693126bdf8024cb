using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>REPORT SUPPORTED OPERATION CODES parameter data, all-commands form (REPORTING OPTIONS 000b, SPC-5 6.35.2).</summary>
/// <remarks><code>
/// 0-3 | COMMAND DATA LENGTH (n-3) |
/// 4-n | command descriptors, 8 bytes each (20 with CTDP) |
/// </code></remarks>
public sealed class SupportedOperationCodes
{
    private const int HeaderLength = 4;
    private const int DescriptorLength = 8;
    private const byte CtdpBit = 0x02;
    private const byte ServActvBit = 0x01;

    private SupportedOperationCodes(uint commandDataLength, IReadOnlyList<SupportedOperationCode> commands)
    {
        CommandDataLength = commandDataLength;
        Commands = commands;
    }

    public uint CommandDataLength { get; }
    public IReadOnlyList<SupportedOperationCode> Commands { get; }
    public long RequiredAllocationLength => HeaderLength + (long)CommandDataLength;

    public bool Supports(byte opcode, ushort? serviceAction = null)
        => Commands.Any(c => c.Opcode == opcode && (serviceAction is null || (c.ServiceActionValid && c.ServiceAction == serviceAction)));

    public static SupportedOperationCodes Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "REPORT SUPPORTED OPERATION CODES data");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        var body = data[HeaderLength..(int)Math.Min(data.Length, HeaderLength + (long)length)];
        var list = new List<SupportedOperationCode>();
        int offset = 0;
        while (offset + DescriptorLength <= body.Length)
        {
            var d = body[offset..];
            bool ctdp = (d[5] & CtdpBit) != 0;
            int size = DescriptorLength + (ctdp ? CommandTimeouts.Length : 0);
            list.Add(new SupportedOperationCode(
                opcode: d[0],
                serviceAction: BinaryPrimitives.ReadUInt16BigEndian(d[2..]),
                serviceActionValid: (d[5] & ServActvBit) != 0,
                cdbLength: BinaryPrimitives.ReadUInt16BigEndian(d[6..]),
                timeouts: ctdp ? CommandTimeouts.TryParse(ScsiData.SliceAvailable(d, DescriptorLength, CommandTimeouts.Length)) : null));
            offset += size;
        }
        return new SupportedOperationCodes(length, list);
    }
}
