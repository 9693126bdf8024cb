using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Converts LUN numbers to and from the 8-byte SAM LUN structure carried in PDUs.</summary>
public static class LunEncoding
{
    /// <summary>Peripheral device addressing below 256, flat space addressing below 16384 (SAM-5 4.7).</summary>
    public static ulong Encode(int lun)
    {
        if (lun is < 0 or > 16383)
            throw new IscsiArgumentException("LunOutOfRange", $"LUN {lun} is outside 0..16383.");
        return lun < 256
            ? (ulong)lun << 48
            : (0x4000UL | (uint)lun) << 48;
    }

    /// <summary>The LUN number from an 8-byte LUN structure (peripheral or flat addressing), as REPORT LUNS lists it.</summary>
    public static int Decode(ulong lunField)
    {
        int first = (int)(lunField >> 48);
        return (first >> 14) switch
        {
            0 => first & 0xFF,          // peripheral device: bus 0 expected
            1 => first & 0x3FFF,        // flat space
            _ => first & 0x3FFF,        // logical unit / extended: best effort
        };
    }

    public static void Write(Span<byte> dest, ulong lunField) => BinaryPrimitives.WriteUInt64BigEndian(dest, lunField);
    public static ulong Read(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadUInt64BigEndian(src);
}
