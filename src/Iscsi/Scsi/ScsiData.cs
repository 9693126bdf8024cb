using System.Buffers.Binary;
using System.Text;

namespace Iscsi.Scsi;

/// <summary>Small byte helpers shared by the SCSI parameter-data decoders.</summary>
internal static class ScsiData
{
    /// <summary>The errorId every decoder uses for parameter data that cannot be what the standard says.</summary>
    public const string MalformedErrorId = "ScsiDataMalformed";

    public static IscsiProtocolException Malformed(string message) => new(message, MalformedErrorId);

    /// <summary>Throws when fewer bytes arrived than the fixed part of a structure needs.</summary>
    public static void RequireLength(ReadOnlySpan<byte> data, int minimum, string what)
    {
        if (data.Length < minimum)
            throw Malformed($"{what} needs at least {minimum} bytes; got {data.Length}.");
    }

    public static uint ReadUInt24BigEndian(ReadOnlySpan<byte> src) => (uint)(src[0] << 16 | src[1] << 8 | src[2]);

    public static void WriteUInt24BigEndian(Span<byte> dest, uint value)
    {
        dest[0] = (byte)(value >> 16);
        dest[1] = (byte)(value >> 8);
        dest[2] = (byte)value;
    }

    /// <summary>Reads a big-endian field when the buffer holds all of it, else 0 (a short allocation cut it off).</summary>
    public static ushort U16At(ReadOnlySpan<byte> data, int offset)
        => data.Length >= offset + 2 ? BinaryPrimitives.ReadUInt16BigEndian(data[offset..]) : (ushort)0;

    public static uint U32At(ReadOnlySpan<byte> data, int offset)
        => data.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(data[offset..]) : 0u;

    public static ulong U64At(ReadOnlySpan<byte> data, int offset)
        => data.Length >= offset + 8 ? BinaryPrimitives.ReadUInt64BigEndian(data[offset..]) : 0ul;

    public static byte ByteAt(ReadOnlySpan<byte> data, int offset) => data.Length > offset ? data[offset] : (byte)0;

    public static bool BitAt(ReadOnlySpan<byte> data, int offset, int bit) => (ByteAt(data, offset) & (1 << bit)) != 0;

    /// <summary>The part of [offset, offset+length) that is present (empty when none is).</summary>
    public static ReadOnlySpan<byte> SliceAvailable(ReadOnlySpan<byte> data, int offset, int length)
    {
        if (offset >= data.Length) return [];
        return data.Slice(offset, Math.Min(length, data.Length - offset));
    }

    /// <summary>SPC ASCII fields are space padded (sometimes NUL padded): trim both.</summary>
    public static string TrimmedAscii(ReadOnlySpan<byte> field)
    {
        var text = Encoding.ASCII.GetString(field);
        return text.Trim(' ', '\0');
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
