using System.Buffers.Binary;

namespace Iscsi.Pdu;

/// <summary>Shared plumbing for the per-opcode structs: start a BHS, check caller values, read and
/// write big-endian fields at named offsets.</summary>
internal static class BhsFields
{
    /// <summary>Clears the 48 bytes (so reserved fields go out as zero) and writes bytes 0, 1, 4 and 5-7.</summary>
    internal static void Begin(Span<byte> bhs, Opcode opcode, bool immediate, byte flags, int dataSegmentLength, int totalAhsLength = 0)
    {
        Bhs.Require(bhs);
        bhs.Slice(0, Bhs.Length).Clear();
        bhs[Bhs.OpcodeOffset] = (byte)((byte)opcode | (immediate ? Bhs.ImmediateBit : 0));
        bhs[Bhs.FlagsOffset] = flags;
        Bhs.SetTotalAhsLength(bhs, totalAhsLength);
        Bhs.SetDataSegmentLength(bhs, dataSegmentLength);
    }

    /// <summary>True when the span holds a whole BHS with this opcode; TryRead's gate.</summary>
    internal static bool Matches(ReadOnlySpan<byte> bhs, Opcode opcode) =>
        bhs.Length >= Bhs.Length && (bhs[Bhs.OpcodeOffset] & Bhs.OpcodeMask) == (byte)opcode;

    internal static bool Flag(ReadOnlySpan<byte> bhs, byte mask) => (bhs[Bhs.FlagsOffset] & mask) != 0;

    internal static byte FlagIf(bool condition, byte mask) => condition ? mask : (byte)0;

    /// <summary>Rejects a caller value wider than the bit field it goes into.</summary>
    internal static byte CheckFits(byte value, byte maxValue, string fieldName)
    {
        if (value > maxValue)
            throw new IscsiArgumentException("PduFieldOutOfRange", $"{fieldName} {value} is larger than the field allows ({maxValue}).");
        return value;
    }

    internal static uint U32(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt32BigEndian(bhs.Slice(offset));
    internal static ushort U16(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt16BigEndian(bhs.Slice(offset));
    internal static ulong U64(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt64BigEndian(bhs.Slice(offset));

    internal static void Put(Span<byte> bhs, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(bhs.Slice(offset), value);
    internal static void Put(Span<byte> bhs, int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(bhs.Slice(offset), value);
    internal static void Put(Span<byte> bhs, int offset, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(bhs.Slice(offset), value);
}
