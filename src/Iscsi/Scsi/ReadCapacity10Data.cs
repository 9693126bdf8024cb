using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>READ CAPACITY(10) parameter data (SBC-4 5.20.2).</summary>
/// <remarks><code>
/// 0-3 | RETURNED LOGICAL BLOCK ADDRESS (last LBA; FFFFFFFFh = use READ CAPACITY(16)) |
/// 4-7 | LOGICAL BLOCK LENGTH IN BYTES                                                |
/// </code></remarks>
public sealed class ReadCapacity10Data
{
    public const int Length = 8;
    /// <summary>The returned LBA that means "too large for this command".</summary>
    public const uint Overflow = 0xFFFF_FFFF;

    private ReadCapacity10Data(uint lastLba, uint blockLength)
    {
        LastLba = lastLba;
        BlockLength = blockLength;
    }

    public uint LastLba { get; }
    public uint BlockLength { get; }
    public ulong BlockCount => (ulong)LastLba + 1;
    public ulong SizeBytes => BlockCount * BlockLength;
    /// <summary>The capacity does not fit: issue READ CAPACITY(16).</summary>
    public bool NeedsReadCapacity16 => LastLba == Overflow;

    public static ReadCapacity10Data Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, Length, "READ CAPACITY(10) data");
        return new ReadCapacity10Data(BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
    }

    public override string ToString() => $"{BlockCount} x {BlockLength} bytes";
}
