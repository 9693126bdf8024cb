namespace Iscsi.Scsi;

/// <summary>Block Limits page, B0h (SBC-4 6.6.4). Lengths are in logical blocks; 0 means "no limit reported".</summary>
/// <remarks><code>
///  4     | WSNZ (0)                                  |
///  5     | MAXIMUM COMPARE AND WRITE LENGTH          |
///  6-7   | OPTIMAL TRANSFER LENGTH GRANULARITY       |
///  8-11  | MAXIMUM TRANSFER LENGTH                   |
///  12-15 | OPTIMAL TRANSFER LENGTH                   |
///  16-19 | MAXIMUM PREFETCH LENGTH                   |
///  20-23 | MAXIMUM UNMAP LBA COUNT                   |
///  24-27 | MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT      |
///  28-31 | OPTIMAL UNMAP GRANULARITY                 |
///  32-35 | UGAVALID (bit 31) UNMAP GRANULARITY ALIGNMENT |
///  36-43 | MAXIMUM WRITE SAME LENGTH                 |
///  44-47 | MAXIMUM ATOMIC TRANSFER LENGTH            |
/// </code>
/// Older devices return a 16-byte page length (up to byte 19): the later fields then read as 0.
/// </remarks>
public sealed class BlockLimits
{
    private BlockLimits() { }

    public bool WriteSameNonZero { get; private init; }
    public byte MaximumCompareAndWriteLength { get; private init; }
    public ushort OptimalTransferLengthGranularity { get; private init; }
    public uint MaximumTransferLength { get; private init; }
    public uint OptimalTransferLength { get; private init; }
    public uint MaximumPrefetchLength { get; private init; }
    public uint MaximumUnmapLbaCount { get; private init; }
    public uint MaximumUnmapBlockDescriptorCount { get; private init; }
    public uint OptimalUnmapGranularity { get; private init; }
    public bool UnmapGranularityAlignmentValid { get; private init; }
    public uint UnmapGranularityAlignment { get; private init; }
    public ulong MaximumWriteSameLength { get; private init; }
    public uint MaximumAtomicTransferLength { get; private init; }

    public static BlockLimits Parse(ReadOnlySpan<byte> data)
    {
        var body = VpdPage.Body(data, VpdPage.BlockLimits, "Block Limits");
        // Offsets below are page offsets; the body starts at page byte 4.
        static int At(int pageOffset) => pageOffset - VpdPage.HeaderLength;
        uint alignment = ScsiData.U32At(body, At(32));
        return new BlockLimits
        {
            WriteSameNonZero = ScsiData.BitAt(body, At(4), 0),
            MaximumCompareAndWriteLength = ScsiData.ByteAt(body, At(5)),
            OptimalTransferLengthGranularity = ScsiData.U16At(body, At(6)),
            MaximumTransferLength = ScsiData.U32At(body, At(8)),
            OptimalTransferLength = ScsiData.U32At(body, At(12)),
            MaximumPrefetchLength = ScsiData.U32At(body, At(16)),
            MaximumUnmapLbaCount = ScsiData.U32At(body, At(20)),
            MaximumUnmapBlockDescriptorCount = ScsiData.U32At(body, At(24)),
            OptimalUnmapGranularity = ScsiData.U32At(body, At(28)),
            UnmapGranularityAlignmentValid = (alignment & 0x8000_0000) != 0,
            UnmapGranularityAlignment = alignment & 0x7FFF_FFFF,
            MaximumWriteSameLength = ScsiData.U64At(body, At(36)),
            MaximumAtomicTransferLength = ScsiData.U32At(body, At(44)),
        };
    }
}
