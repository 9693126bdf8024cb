namespace IscsiModule;

/// <summary>What a Read-IscsiBlock -Path or Write-IscsiBlock moved.</summary>
public sealed class TransferSummary
{
    internal TransferSummary(string nodeAddress, int lun, ulong lba, ulong blockCount, int blockSize, string? path,
        bool verified, TimeSpan duration)
    {
        NodeAddress = nodeAddress;
        Lun = lun;
        Lba = lba;
        BlockCount = blockCount;
        BlockSize = blockSize;
        Path = path;
        Verified = verified;
        Duration = duration;
    }

    public string NodeAddress { get; }
    public int Lun { get; }
    public ulong Lba { get; }
    public ulong BlockCount { get; }
    public int BlockSize { get; }
    public ulong Bytes => BlockCount * (ulong)BlockSize;
    /// <summary>The file read into or written from; null for in-memory data.</summary>
    public string? Path { get; }
    /// <summary>True when -Verify re-read the blocks and they matched.</summary>
    public bool Verified { get; }
    public TimeSpan Duration { get; }
    public double MegabytesPerSecond => Duration > TimeSpan.Zero ? Bytes / 1e6 / Duration.TotalSeconds : 0;

    public override string ToString() => $"{Bytes} bytes at LBA {Lba} of LUN {Lun} in {Duration.TotalSeconds:0.###} s";
}
