using System.Buffers.Binary;
using System.Numerics;

namespace Iscsi.Pdu;

/// <summary>CRC32C (Castagnoli, generator 0x11EDC6F41), the iSCSI header and data digest
/// (RFC 7143 13.1; examples in RFC 3720 B.4).</summary>
/// <remarks>
/// The digest is the reflected CRC: register preset to all ones, complemented at the end. That is what
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> computes (SSE4.2 / ARMv8 CRC instruction where available).
/// On the wire the four digest bytes go least significant byte first: RFC 3720 B.4 lists the CRC of 32
/// zero bytes as the bytes "aa 36 91 8a", whose value is 0x8A9136AA. So unlike every other iSCSI
/// integer, the digest is little-endian; <see cref="WriteDigest"/> and <see cref="ReadDigest"/> own that.
/// </remarks>
public static class Crc32C
{
    /// <summary>The register value before any data (all ones).</summary>
    public const uint InitialState = 0xFFFFFFFF;

    /// <summary>Length of a digest on the wire.</summary>
    public const int DigestLength = 4;

    /// <summary>The complete digest of one contiguous buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(InitialState, data));

    /// <summary>Feeds more bytes into a running register; start from <see cref="InitialState"/>, end with <see cref="Finish"/>.
    /// Lets a header digest cover BHS + AHS, or a data digest cover data + padding, without copying them together.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        // The reflected CRC consumes bytes in memory order, so an 8-byte chunk is fed as a little-endian word.
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data.Slice(sizeof(ulong));
        }
        foreach (byte b in data)
            state = BitOperations.Crc32C(state, b);
        return state;
    }

    /// <summary>Turns a running register into the digest value (final complement).</summary>
    public static uint Finish(uint state) => ~state;

    /// <summary>Writes a digest in wire order (least significant byte first, see remarks).</summary>
    public static void WriteDigest(Span<byte> dest, uint digest)
    {
        if (dest.Length < DigestLength)
            throw new IscsiArgumentException("BufferTooShort", $"A digest needs {DigestLength} bytes; the span holds {dest.Length}.");
        BinaryPrimitives.WriteUInt32LittleEndian(dest, digest);
    }

    /// <summary>Reads a digest received in wire order.</summary>
    public static uint ReadDigest(ReadOnlySpan<byte> src)
    {
        if (src.Length < DigestLength)
            throw new IscsiArgumentException("BufferTooShort", $"A digest needs {DigestLength} bytes; the span holds {src.Length}.");
        return BinaryPrimitives.ReadUInt32LittleEndian(src);
    }

    /// <summary>True when <paramref name="digest"/> (4 wire bytes) is the digest of <paramref name="covered"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> digest) => ReadDigest(digest) == Compute(covered);
}
