using System.Buffers.Binary;

namespace Iscsi.Pdu;

/// <summary>The 48-byte Basic Header Segment that starts every PDU, and the fields all opcodes share
/// (RFC 7143 11.2.1).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| Opcode    |F| opcode-specific fields                        |
///    4 | TotalAHSLength| DataSegmentLength                               |
///    8 | LUN or opcode-specific fields (8 bytes)                         |
///   16 | Initiator Task Tag                                              |
///   20 | opcode-specific fields (28 bytes)                               |
/// </code>
/// Every getter here demands a full 48-byte span, so a caller holding a short buffer gets a clear
/// error instead of reading a field that is not there.
/// </remarks>
public static class Bhs
{
    public const int Length = 48;

    public const int OpcodeOffset = 0;
    public const int FlagsOffset = 1;
    public const int TotalAhsLengthOffset = 4;
    public const int DataSegmentLengthOffset = 5;
    public const int LunOffset = 8;
    public const int InitiatorTaskTagOffset = 16;
    /// <summary>Where the opcode-specific part after the ITT begins (TTT, SNACK Tag, reserved...).</summary>
    public const int OpcodeSpecificOffset = 20;

    public const byte OpcodeMask = 0x3f;
    public const byte ImmediateBit = 0x40;
    public const byte FinalBit = 0x80;

    /// <summary>The "no task" tag: ITT of unsolicited target PDUs, TTT of PDUs that expect no answer.</summary>
    public const uint ReservedTag = 0xFFFFFFFF;

    /// <summary>TotalAHSLength is one byte counting 4-byte words.</summary>
    public const int MaxTotalAhsLength = 255 * 4;

    public static Opcode GetOpcode(ReadOnlySpan<byte> bhs) => (Opcode)(Require(bhs)[OpcodeOffset] & OpcodeMask);

    public static bool IsImmediate(ReadOnlySpan<byte> bhs) => (Require(bhs)[OpcodeOffset] & ImmediateBit) != 0;

    public static bool IsFinal(ReadOnlySpan<byte> bhs) => (Require(bhs)[FlagsOffset] & FinalBit) != 0;

    /// <summary>Length of the AHS area in bytes (the wire field counts 4-byte words).</summary>
    public static int GetTotalAhsLength(ReadOnlySpan<byte> bhs) => Require(bhs)[TotalAhsLengthOffset] * 4;

    /// <summary>Writes TotalAHSLength from a byte count, which must be a multiple of 4 and at most 1020.</summary>
    public static void SetTotalAhsLength(Span<byte> bhs, int lengthInBytes)
    {
        Require(bhs);
        if (lengthInBytes is < 0 or > MaxTotalAhsLength || lengthInBytes % 4 != 0)
            throw new IscsiArgumentException("TotalAhsLengthOutOfRange",
                $"TotalAhsLength {lengthInBytes} must be a multiple of 4 between 0 and {MaxTotalAhsLength}.");
        bhs[TotalAhsLengthOffset] = (byte)(lengthInBytes / 4);
    }

    /// <summary>Length of the data segment without its padding.</summary>
    public static int GetDataSegmentLength(ReadOnlySpan<byte> bhs) => BigEndian24.Read(Require(bhs).Slice(DataSegmentLengthOffset));

    public static void SetDataSegmentLength(Span<byte> bhs, int length)
    {
        Require(bhs);
        if (length is < 0 or > BigEndian24.MaxValue)
            throw new IscsiArgumentException("DataSegmentLengthOutOfRange",
                $"DataSegmentLength {length} does not fit the 24-bit field (0..{BigEndian24.MaxValue}).");
        BigEndian24.Write(bhs.Slice(DataSegmentLengthOffset), length);
    }

    public static uint GetInitiatorTaskTag(ReadOnlySpan<byte> bhs) =>
        BinaryPrimitives.ReadUInt32BigEndian(Require(bhs).Slice(InitiatorTaskTagOffset));

    /// <summary>The raw 8-byte LUN field (meaningful only for opcodes that carry a LUN).</summary>
    public static ulong GetLun(ReadOnlySpan<byte> bhs) => BinaryPrimitives.ReadUInt64BigEndian(Require(bhs).Slice(LunOffset));

    internal static ReadOnlySpan<byte> Require(ReadOnlySpan<byte> bhs)
    {
        if (bhs.Length < Length)
            throw new IscsiArgumentException("BhsTooShort", $"A BHS is {Length} bytes; the buffer holds {bhs.Length}.");
        return bhs;
    }

    internal static Span<byte> Require(Span<byte> bhs)
    {
        if (bhs.Length < Length)
            throw new IscsiArgumentException("BhsTooShort", $"A BHS is {Length} bytes; the buffer holds {bhs.Length}.");
        return bhs;
    }
}
