using Iscsi;

namespace IscsiCli;

/// <summary>Checks a block range against a LUN's capacity before any I/O is sent.</summary>
public static class BlockRange
{
    public static void Check(ulong lba, long blocks, ulong capacityBlocks, int lun)
    {
        if (blocks <= 0)
            throw new IscsiArgumentException("BlockCountInvalid", $"The block count {blocks} must be at least 1.");
        if (lba >= capacityBlocks || (ulong)blocks > capacityBlocks - lba)
            throw new IscsiArgumentException("LbaOutOfRange",
                $"Blocks {lba}..{lba + (ulong)blocks - 1} are past the end of LUN {lun}, which has {capacityBlocks} blocks (last LBA {capacityBlocks - 1}).");
    }
}
