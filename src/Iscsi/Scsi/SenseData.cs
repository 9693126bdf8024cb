using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Decoded sense data, fixed (70h/71h) or descriptor (72h/73h) format.</summary>
/// <remarks>
/// Fixed format (SPC-5 4.4.3):
/// <code>
///  0     | VALID | RESPONSE CODE (70h/71h)              |
///  1     | obsolete                                     |
///  2     | FILEMARK | EOM | ILI | SDAT_OVFL | SENSE KEY |
///  3-6   | INFORMATION                                  |
///  7     | ADDITIONAL SENSE LENGTH (n-7)                |
///  8-11  | COMMAND-SPECIFIC INFORMATION                 |
///  12    | ADDITIONAL SENSE CODE                        |
///  13    | ADDITIONAL SENSE CODE QUALIFIER              |
///  14    | FIELD REPLACEABLE UNIT CODE                  |
///  15-17 | SKSV | SENSE KEY SPECIFIC                    |
///  18-n  | additional sense bytes                       |
/// </code>
/// Descriptor format (SPC-5 4.4.2):
/// <code>
///  0     | RESPONSE CODE (72h/73h)        |
///  1     | SENSE KEY (bits 3-0)           |
///  2     | ADDITIONAL SENSE CODE          |
///  3     | ADDITIONAL SENSE CODE QUALIFIER|
///  4     | SDAT_OVFL (bit 7)              |
///  7     | ADDITIONAL SENSE LENGTH (n-7)  |
///  8-n   | sense data descriptors         |
/// </code>
/// Short (truncated) sense data decodes whatever fields are present; nothing here throws.
/// </remarks>
public sealed class SenseData
{
    private const int AdditionalLengthOffset = 7;
    private const int HeaderLength = 8;

    // Fixed format offsets.
    private const int FixedFlagsOffset = 2;
    private const int FixedInformationOffset = 3;
    private const int FixedCommandSpecificOffset = 8;
    private const int FixedAscOffset = 12;
    private const int FixedAscqOffset = 13;
    private const int FixedFruOffset = 14;
    private const int FixedSenseKeySpecificOffset = 15;

    // Descriptor format offsets.
    private const int DescSenseKeyOffset = 1;
    private const int DescAscOffset = 2;
    private const int DescAscqOffset = 3;
    private const int DescOverflowOffset = 4;

    private const byte InformationDescriptor = 0x00;
    private const byte CommandSpecificDescriptor = 0x01;
    private const byte SenseKeySpecificDescriptor = 0x02;
    private const byte FieldReplaceableUnitDescriptor = 0x03;
    private const byte StreamCommandsDescriptor = 0x04;
    private const byte BlockCommandsDescriptor = 0x05;

    public byte ResponseCode { get; init; }
    public bool IsDescriptorFormat { get; init; }
    public bool IsDeferred { get; init; }
    public SenseKey SenseKey { get; init; }
    public byte Asc { get; init; }
    public byte Ascq { get; init; }
    /// <summary>The T10 name of ASC/ASCQ (see <see cref="AscAscqTable"/>).</summary>
    public string Description { get; init; } = "";
    /// <summary>INFORMATION (e.g. the failing LBA): fixed format only when VALID is set; descriptor type 00h.</summary>
    public ulong? Information { get; init; }
    /// <summary>COMMAND-SPECIFIC INFORMATION: fixed bytes 8-11, or descriptor type 01h.</summary>
    public ulong? CommandSpecificInformation { get; init; }
    public byte[] Raw { get; init; } = [];

    /// <summary>Decoded SENSE KEY SPECIFIC field when SKSV is set.</summary>
    public SenseKeySpecific? SenseKeySpecific { get; init; }
    public byte? FieldReplaceableUnitCode { get; init; }
    /// <summary>FILEMARK bit (stream devices).</summary>
    public bool Filemark { get; init; }
    /// <summary>EOM bit: end of medium / partition.</summary>
    public bool EndOfMedium { get; init; }
    /// <summary>ILI bit: the requested length did not match the logical block length.</summary>
    public bool IncorrectLengthIndicator { get; init; }
    /// <summary>SDAT_OVFL: the sense data was cut short by the device.</summary>
    public bool SenseDataOverflow { get; init; }
    /// <summary>Descriptor format: every descriptor, decoded or not.</summary>
    public IReadOnlyList<SenseDescriptor> Descriptors { get; init; } = [];

    public bool IsCurrent => !IsDeferred;

    /// <summary>Decodes sense bytes; null when empty or not sense data at all (response code outside 70h-73h, 7Fh).</summary>
    public static SenseData? Parse(ReadOnlySpan<byte> sense)
    {
        if (sense.IsEmpty)
            return null;
        byte responseCode = (byte)(sense[0] & 0x7F);
        byte[] raw = sense.ToArray();
        ReadOnlySpan<byte> valid = ClampToAdditionalLength(sense);
        return responseCode switch
        {
            0x70 or 0x71 => ParseFixed(valid, raw, responseCode),
            0x72 or 0x73 => ParseDescriptor(valid, raw, responseCode),
            // Vendor-specific format: nothing standard to decode, but it is sense data.
            0x7F => new SenseData { ResponseCode = responseCode, Raw = raw, Description = "VENDOR SPECIFIC SENSE DATA FORMAT" },
            _ => null,
        };
    }

    /// <summary>Bytes past 8 + ADDITIONAL SENSE LENGTH are not sense data, whatever the buffer holds.</summary>
    private static ReadOnlySpan<byte> ClampToAdditionalLength(ReadOnlySpan<byte> sense)
    {
        if (sense.Length <= AdditionalLengthOffset)
            return sense;
        int declared = HeaderLength + sense[AdditionalLengthOffset];
        return sense[..Math.Min(declared, sense.Length)];
    }

    private static SenseData ParseFixed(ReadOnlySpan<byte> s, byte[] raw, byte responseCode)
    {
        bool infoValid = (s[0] & 0x80) != 0;
        byte flags = ScsiData.ByteAt(s, FixedFlagsOffset);
        var key = (SenseKey)(flags & 0x0F);
        byte asc = ScsiData.ByteAt(s, FixedAscOffset);
        byte ascq = ScsiData.ByteAt(s, FixedAscqOffset);
        bool hasAsc = s.Length > FixedAscOffset;
        return new SenseData
        {
            ResponseCode = responseCode,
            IsDeferred = responseCode == 0x71,
            SenseKey = key,
            Filemark = (flags & 0x80) != 0,
            EndOfMedium = (flags & 0x40) != 0,
            IncorrectLengthIndicator = (flags & 0x20) != 0,
            SenseDataOverflow = (flags & 0x10) != 0,
            Information = infoValid && s.Length >= FixedInformationOffset + 4
                ? BinaryPrimitives.ReadUInt32BigEndian(s[FixedInformationOffset..]) : null,
            CommandSpecificInformation = s.Length >= FixedCommandSpecificOffset + 4
                ? BinaryPrimitives.ReadUInt32BigEndian(s[FixedCommandSpecificOffset..]) : null,
            Asc = asc,
            Ascq = ascq,
            Description = hasAsc ? AscAscqTable.Describe(asc, ascq) : "",
            FieldReplaceableUnitCode = s.Length > FixedFruOffset ? s[FixedFruOffset] : null,
            SenseKeySpecific = s.Length >= FixedSenseKeySpecificOffset + 3
                ? SenseKeySpecific.Decode(key, s.Slice(FixedSenseKeySpecificOffset, 3)) : null,
            Raw = raw,
        };
    }

    private static SenseData ParseDescriptor(ReadOnlySpan<byte> s, byte[] raw, byte responseCode)
    {
        var key = (SenseKey)(ScsiData.ByteAt(s, DescSenseKeyOffset) & 0x0F);
        byte asc = ScsiData.ByteAt(s, DescAscOffset);
        byte ascq = ScsiData.ByteAt(s, DescAscqOffset);
        var descriptors = new List<SenseDescriptor>();
        ulong? information = null, commandSpecific = null;
        SenseKeySpecific? sks = null;
        byte? fru = null;
        bool filemark = false, eom = false, ili = false;

        int offset = HeaderLength;
        while (offset + 2 <= s.Length)
        {
            byte type = s[offset];
            int length = 2 + s[offset + 1];
            var d = s.Slice(offset, Math.Min(length, s.Length - offset));
            descriptors.Add(new SenseDescriptor(type, d.ToArray()));
            switch (type)
            {
                // Information / command-specific: 2 VALID(bit 7), 4-11 the 8-byte value.
                case InformationDescriptor when d.Length >= 12 && (d[2] & 0x80) != 0:
                    information = BinaryPrimitives.ReadUInt64BigEndian(d[4..]);
                    break;
                case CommandSpecificDescriptor when d.Length >= 12:
                    commandSpecific = BinaryPrimitives.ReadUInt64BigEndian(d[4..]);
                    break;
                // Sense key specific: 4-6 the same three bytes as fixed format 15-17.
                case SenseKeySpecificDescriptor when d.Length >= 7:
                    sks = SenseKeySpecific.Decode(key, d.Slice(4, 3));
                    break;
                case FieldReplaceableUnitDescriptor when d.Length >= 4:
                    fru = d[3];
                    break;
                case StreamCommandsDescriptor when d.Length >= 4:
                    filemark = (d[3] & 0x80) != 0;
                    eom = (d[3] & 0x40) != 0;
                    ili = (d[3] & 0x20) != 0;
                    break;
                case BlockCommandsDescriptor when d.Length >= 4:
                    ili = (d[3] & 0x20) != 0;
                    break;
            }
            offset += length;
        }

        return new SenseData
        {
            ResponseCode = responseCode,
            IsDescriptorFormat = true,
            IsDeferred = responseCode == 0x73,
            SenseKey = key,
            Asc = asc,
            Ascq = ascq,
            Description = s.Length > DescAscOffset ? AscAscqTable.Describe(asc, ascq) : "",
            SenseDataOverflow = (ScsiData.ByteAt(s, DescOverflowOffset) & 0x80) != 0,
            Information = information,
            CommandSpecificInformation = commandSpecific,
            SenseKeySpecific = sks,
            FieldReplaceableUnitCode = fru,
            Filemark = filemark,
            EndOfMedium = eom,
            IncorrectLengthIndicator = ili,
            Descriptors = descriptors,
            Raw = raw,
        };
    }

    /// <summary>ASC and ASCQ as T10 writes them: "21h/00h".</summary>
    public string AscAscq => ScsiOutcomeText.AscAscq(this);

    public override string ToString()
    {
        var text = ScsiOutcomeText.Sense(this);
        if (Information is { } info) text += $" information=0x{info:X}";
        if (SenseKeySpecific is { } sks) text += $" ({sks})";
        return text;
    }
}
