using Iscsi;

namespace IscsiModule.Logic;

/// <summary>The seed's read-ahead: BufferCount buffers of BufferSize bytes, so at most BufferSize x BufferCount
/// bytes are in memory (and that many commands in flight) whatever the size of the transfer.</summary>
public sealed class TransferOptions
{
    public const int DefaultBufferSize = 1024 * 1024;
    public const int DefaultBufferCount = 4;
    public const int MaxBufferSize = 64 * 1024 * 1024;
    public const int MaxBufferCount = 64;

    public int BufferSize { get; init; } = DefaultBufferSize;
    public int BufferCount { get; init; } = DefaultBufferCount;

    /// <summary>Blocks per command: BufferSize rounded down to whole blocks (at least one block).</summary>
    public uint BlocksPerRequest(int blockSize)
    {
        Validate();
        return (uint)Math.Max(1, BufferSize / blockSize);
    }

    public void Validate()
    {
        if (BufferSize is < 512 or > MaxBufferSize)
            throw new IscsiArgumentException("BufferSizeOutOfRange", $"-BufferSize {BufferSize} is outside 512..{MaxBufferSize} bytes.");
        if (BufferCount is < 1 or > MaxBufferCount)
            throw new IscsiArgumentException("BufferCountOutOfRange", $"-BufferCount {BufferCount} is outside 1..{MaxBufferCount}.");
    }
}
