using Iscsi;

namespace IscsiModule.Logic;

/// <summary>The bytes piped into Write-IscsiBlock, gathered in order (whole arrays, or the single bytes
/// Get-Content -AsByteStream sends) up to what the module writes from memory.</summary>
public sealed class PipedBytes
{
    private readonly MemoryStream _bytes = new();

    public long Length => _bytes.Length;
    public bool Failed { get; private set; }

    public void Add(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_bytes.Length + data.Length > BlockTransfer.MaxInMemoryBytes)
            throw new IscsiArgumentException("TransferTooLargeForMemory",
                $"More than {BlockTransfer.MaxInMemoryBytes} bytes came down the pipeline; write large data from a file with -Path.");
        _bytes.Write(data);
    }

    /// <summary>Something went wrong on the way in: nothing is written at the end (a partial write would be worse).</summary>
    public void Fail() => Failed = true;

    public byte[] ToArray() => _bytes.ToArray();
}
