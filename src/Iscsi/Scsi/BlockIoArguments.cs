namespace Iscsi.Scsi;

/// <summary>Checks the caller's numbers for block reads and writes before anything goes on the wire.</summary>
internal static class BlockIoArguments
{
    /// <summary>Returns the byte count of the read.</summary>
    public static int ValidateRead(int blockCount, int blockSize, int destinationLength)
    {
        if (blockCount <= 0)
            throw new IscsiArgumentException("BlockCountInvalid", $"Block count {blockCount} must be at least 1.");
        ValidateBlockSize(blockSize);
        long bytes = (long)blockCount * blockSize;
        if (bytes > int.MaxValue)
            throw new IscsiArgumentException("TransferTooLarge", $"{blockCount} blocks of {blockSize} bytes ({bytes} bytes) exceed one transfer's 2 GiB limit.");
        if (destinationLength < bytes)
            throw new IscsiArgumentException("BufferTooSmall",
                $"The destination holds {destinationLength} bytes but {blockCount} blocks of {blockSize} bytes need {bytes}.");
        return (int)bytes;
    }

    /// <summary>Returns the block count of the write.</summary>
    public static uint ValidateWrite(int blockSize, int dataLength)
    {
        ValidateBlockSize(blockSize);
        if (dataLength <= 0 || dataLength % blockSize != 0)
            throw new IscsiArgumentException("DataNotBlockMultiple",
                $"Data length {dataLength} is not a positive multiple of the block size {blockSize}.");
        return (uint)(dataLength / blockSize);
    }

    private static void ValidateBlockSize(int blockSize)
    {
        if (blockSize <= 0)
            throw new IscsiArgumentException("BlockSizeInvalid", $"Block size {blockSize} must be positive.");
    }
}
