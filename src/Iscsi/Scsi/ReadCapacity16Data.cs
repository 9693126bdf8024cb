using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>READ CAPACITY(16) parameter data (SBC-4 5.21.2).</summary>
/// <remarks><code>
/// 0-7   | RETURNED LOGICAL BLOCK ADDRESS (last LBA)                                  |
/// 8-11  | LOGICAL BLOCK LENGTH IN BYTES                                              |
/// 12    | RC BASIS (5-4) | P_TYPE (3-1) | PROT_EN (0)                                |
/// 13    | P_I_EXPONENT (7-4) | LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (3-0)      |
/// 14-15 | LBPME (15) | LBPRZ (14) | LOWEST ALIGNED LOGICAL BLOCK ADDRESS (13-0)      |
/// 16-31 | reserved                                                                   |
/// </code>
/// The first 12 bytes are required; a shorter allocation drops the later flags (read as zero).
/// </remarks>
public sealed class ReadCapacity16Data
{
    public const int Length = 32;
    private const int MinimumLength = 12;

    private ReadCapacity16Data() { }

    public ulong LastLba { get; private init; }
    public uint BlockLength { get; private init; }
    public ulong BlockCount => LastLba + 1;
    public ulong SizeBytes => BlockCount * BlockLength;
    public byte RcBasis { get; private init; }
    public bool ProtectionEnabled { get; private init; }
    /// <summary>Protection type 1..3 when PROT_EN is set (P_TYPE + 1), else 0.</summary>
    public byte ProtectionType { get; private init; }
    public byte PiExponent { get; private init; }
    public byte LogicalBlocksPerPhysicalBlockExponent { get; private init; }
    /// <summary>Physical block size in bytes (logical block length x 2^exponent).</summary>
    public ulong PhysicalBlockLength => (ulong)BlockLength << LogicalBlocksPerPhysicalBlockExponent;
    /// <summary>LBPME: logical block provisioning management (thin provisioning) is enabled.</summary>
    public bool Lbpme { get; private init; }
    /// <summary>LBPRZ: unmapped blocks read as zero.</summary>
    public bool Lbprz { get; private init; }
    public ushort LowestAlignedLba { get; private init; }

    public static ReadCapacity16Data Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, MinimumLength, "READ CAPACITY(16) data");
        ulong lastLba = BinaryPrimitives.ReadUInt64BigEndian(data);
        uint blockLength = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        // BlockCount and SizeBytes must be representable; no real device comes near 2^64 bytes.
        if (lastLba == ulong.MaxValue || (blockLength != 0 && lastLba + 1 > ulong.MaxValue / blockLength))
            throw ScsiData.Malformed($"READ CAPACITY(16) last LBA {lastLba} with block length {blockLength} exceeds 2^64 bytes.");
        byte protection = ScsiData.ByteAt(data, 12);
        byte exponents = ScsiData.ByteAt(data, 13);
        ushort alignment = ScsiData.U16At(data, 14);
        bool protEn = (protection & 0x01) != 0;
        return new ReadCapacity16Data
        {
            LastLba = lastLba,
            BlockLength = blockLength,
            RcBasis = (byte)(protection >> 4 & 0x03),
            ProtectionEnabled = protEn,
            ProtectionType = protEn ? (byte)((protection >> 1 & 0x07) + 1) : (byte)0,
            PiExponent = (byte)(exponents >> 4),
            LogicalBlocksPerPhysicalBlockExponent = (byte)(exponents & 0x0F),
            Lbpme = (alignment & 0x8000) != 0,
            Lbprz = (alignment & 0x4000) != 0,
            LowestAlignedLba = (ushort)(alignment & 0x3FFF),
        };
    }

    public override string ToString() => $"{BlockCount} x {BlockLength} bytes";
}
