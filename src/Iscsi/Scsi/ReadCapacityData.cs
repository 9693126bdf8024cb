namespace Iscsi.Scsi;

/// <summary>The capacity of a LUN, whichever READ CAPACITY command produced it (the object the module emits).</summary>
public sealed class ReadCapacityData
{
    public required ulong LastLba { get; init; }
    public required uint BlockSize { get; init; }
    public ulong BlockCount => LastLba + 1;
    public ulong SizeBytes => BlockCount * BlockSize;
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
        BlockSize = d.BlockLength,
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
        BlockSize = d.BlockLength,
        Source = "READ CAPACITY(10)",
    };

    public override string ToString() => $"{BlockCount} blocks x {BlockSize} bytes = {SizeBytes} bytes";
}
