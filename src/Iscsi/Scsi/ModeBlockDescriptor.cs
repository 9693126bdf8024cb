using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>A mode parameter block descriptor in the direct-access form (SBC-4 6.5.2).</summary>
/// <remarks><code>
/// short (8 bytes):      0-3 NUMBER OF LOGICAL BLOCKS | 4 reserved | 5-7 LOGICAL BLOCK LENGTH
/// long LBA (16 bytes):  0-7 NUMBER OF LOGICAL BLOCKS | 8-11 reserved | 12-15 LOGICAL BLOCK LENGTH
/// </code></remarks>
public sealed class ModeBlockDescriptor
{
    internal const int ShortLength = 8;
    internal const int LongLength = 16;

    private ModeBlockDescriptor(ulong blockCount, uint blockLength, bool longLba, byte[] raw)
    {
        BlockCount = blockCount;
        BlockLength = blockLength;
        IsLongLba = longLba;
        Raw = raw;
    }

    public ulong BlockCount { get; }
    public uint BlockLength { get; }
    public bool IsLongLba { get; }
    public byte[] Raw { get; }

    internal static ModeBlockDescriptor Parse(ReadOnlySpan<byte> d, bool longLba) => longLba
        ? new(BinaryPrimitives.ReadUInt64BigEndian(d), BinaryPrimitives.ReadUInt32BigEndian(d[12..]), true, d[..LongLength].ToArray())
        : new(BinaryPrimitives.ReadUInt32BigEndian(d), ScsiData.ReadUInt24BigEndian(d[5..]), false, d[..ShortLength].ToArray());
}
