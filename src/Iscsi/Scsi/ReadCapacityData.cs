namespace Iscsi.Scsi;

/// <summary>The capacity of a LUN, whichever READ CAPACITY command produced it (the object the module emits).</summary>
public sealed class ReadCapacityData
{
    public required ulong LastLba { get; init; }
    /// <summary>Logical block length in bytes (checked: 1 byte to 16 MiB, so callers can size buffers with it).</summary>
    public required int BlockSize { get; init; }
    public ulong BlockCount => LastLba + 1;
    public ulong SizeBytes => BlockCount * (ulong)BlockSize;
    /// <summary>LBPME from READ CAPACITY(16); false when only (10) was available.</summary>
    public bool ThinProvisioned { get; init; }
    /// <summary>LBPRZ: unmapped blocks read as zero.</summary>
    public bool UnmappedReadsZero { get; init; }
    /// <summary>0 none, 1..3 T10 protection type.</summary>
    public byte ProtectionType { get; init; }
    public byte LogicalBlocksPerPhysicalBlockExponent { get; init; }
    public ulong PhysicalBlockSize => (ulong)BlockSize << LogicalBlocksPerPhysicalBlockExponent;
    public ushort LowestAlignedLba { get; init; }
    /// <summary>"READ CAPACITY(16)" or "READ CAPACITY(10)".</summary>
    public required string Source { get; init; }

    public static ReadCapacityData From(ReadCapacity16Data d) => new()
    {
        LastLba = d.LastLba,
        BlockSize = CheckedBlockSize(d.BlockLength),
        ThinProvisioned = d.Lbpme,
        UnmappedReadsZero = d.Lbprz,
        ProtectionType = d.ProtectionType,
        LogicalBlocksPerPhysicalBlockExponent = d.LogicalBlocksPerPhysicalBlockExponent,
        LowestAlignedLba = d.LowestAlignedLba,
        Source = "READ CAPACITY(16)",
    };

    public static ReadCapacityData From(ReadCapacity10Data d) => new()
    {
        LastLba = d.LastLba,
        BlockSize = CheckedBlockSize(d.BlockLength),
        Source = "READ CAPACITY(10)",
    };

    // A target that reports a zero or absurd block length would turn every size computation into a
    // division by zero or an overflow; refuse it where it enters.
    private static int CheckedBlockSize(uint length) => length is >= 1 and <= 16 * 1024 * 1024
        ? (int)length
        : throw new IscsiProtocolException($"The target reported a logical block length of {length} bytes.", "ScsiDataMalformed");

    public override string ToString() => $"{BlockCount} blocks x {BlockSize} bytes = {SizeBytes} bytes";
}
