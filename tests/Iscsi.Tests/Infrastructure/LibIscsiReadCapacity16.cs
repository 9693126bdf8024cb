namespace Iscsi.Tests.Infrastructure;

/// <summary>What iscsi-readcapacity16 printed, typed (SBC-3 READ CAPACITY (16) parameter data, as libiscsi decoded it).</summary>
public sealed record LibIscsiReadCapacity16(
    ulong ReturnedLogicalBlockAddress,
    uint LogicalBlockLength,
    int ProtectionType,
    bool ProtectionEnabled,
    int ProtectionIntervalExponent,
    int LogicalBlocksPerPhysicalBlockExponent,
    bool ThinProvisioningEnabled,
    bool ThinProvisioningReadsZeros,
    ulong LowestAlignedLogicalBlockAddress,
    ulong TotalSize,
    LibIscsiFields Fields)
{
    /// <summary>The returned LBA is the LAST block, so the count is one more.</summary>
    public ulong BlockCount => ReturnedLogicalBlockAddress + 1;
}
