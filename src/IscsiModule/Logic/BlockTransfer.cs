using System.Diagnostics;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>
/// Read-IscsiBlock / Write-IscsiBlock behind the cmdlets, for one LUN of one session: checks ranges against the
/// capacity and runs the engine's <see cref="BlockPipeline"/> (requests of BufferSize bytes, up to BufferCount in
/// flight, completed in order towards the file or the caller), reporting progress after each completed request. A
/// transfer that fails or is stopped says which blocks are done, which were in flight (unknown) and which were
/// never sent.
/// </summary>
public sealed class BlockTransfer
{
    /// <summary>Read-IscsiBlock without -Path returns one byte[]; past this it must stream to a file.</summary>
    public const long MaxInMemoryBytes = 1L << 30;

    // SPC-5 sense codes that say the LUN is not one a block transfer can use.
    private const byte LogicalUnitNotSupportedAsc = 0x25;   // 25h/00h LOGICAL UNIT NOT SUPPORTED
    private const byte InvalidCommandOperationCodeAsc = 0x20; // 20h/00h INVALID COMMAND OPERATION CODE

    private readonly IscsiSessionInfo _session;

    private BlockTransfer(IscsiSessionInfo session, int lun, ReadCapacityData capacity)
    {
        _session = session;
        Lun = lun;
        BlockSize = capacity.BlockSize;
        BlockCount = capacity.BlockCount;
    }

    public int Lun { get; }
    public int BlockSize { get; }
    public ulong BlockCount { get; }

    /// <summary>Checks the session is usable and gets the LUN's capacity (the yardstick of every range check): the one
    /// the session already knows, or READ CAPACITY. A LUN the target does not have is <c>LunNotFound</c>; one that is no
    /// block device (a controller, a processor) is <c>LunNotBlockDevice</c>.</summary>
    public static async Task<BlockTransfer> OpenAsync(IscsiSessionInfo session, int lun, CancellationToken cancellationToken)
    {
        SessionCache.RequireConnected(session);
        if (lun is < 0 or > 16383)
            throw new IscsiArgumentException("LunOutOfRange", $"LUN {lun} is outside 0..16383.");
        ReadCapacityData capacity;
        try
        {
            capacity = await session.Session.GetCapacityAsync(lun, cancellationToken).ConfigureAwait(false);
        }
        catch (ScsiCommandException ex) when (ex.Result.Sense is { SenseKey: SenseKey.IllegalRequest } sense)
        {
            if (sense.Asc == LogicalUnitNotSupportedAsc)
                throw new IscsiArgumentException("LunNotFound",
                    $"LUN {lun} is not reported by {session.NodeAddress}{await ReportedLunsTextAsync(session, cancellationToken).ConfigureAwait(false)}.");
            if (sense.Asc == InvalidCommandOperationCodeAsc
                && await DeviceTypeOfAsync(session, lun, cancellationToken).ConfigureAwait(false) is { } type && !LunInfoBuilder.HasCapacity(type))
                throw new IscsiArgumentException("LunNotBlockDevice",
                    $"LUN {lun} of {session.NodeAddress} is a {PeripheralDeviceTypeNames.Describe(type)}, not a block device: it has no blocks to read or write. Get-IscsiLun shows each LUN's DeviceType.");
            throw;
        }
        if (capacity.BlockSize <= 0)
            throw new IscsiProtocolException($"LUN {lun} of {session.NodeAddress} reports a block size of {capacity.BlockSize}.", "BlockSizeInvalid");
        return new BlockTransfer(session, lun, capacity);
    }

    private static async Task<string> ReportedLunsTextAsync(IscsiSessionInfo session, CancellationToken cancellationToken)
    {
        try
        {
            var luns = await session.Session.ReportLunsAsync(cancellationToken).ConfigureAwait(false);
            session.KnownLuns = luns;
            return $" (its LUNs: {string.Join(", ", luns)})";
        }
        catch (IscsiException)
        {
            return "";
        }
    }

    private static async Task<PeripheralDeviceType?> DeviceTypeOfAsync(IscsiSessionInfo session, int lun, CancellationToken cancellationToken)
    {
        try
        {
            return (await session.Session.InquiryAsync(lun, cancellationToken).ConfigureAwait(false)).DeviceType;
        }
        catch (IscsiException)
        {
            return null;
        }
    }

    /// <summary><c>BlockCountInvalid</c> for zero blocks; <c>LbaOutOfRange</c> when [lba, lba+blocks) runs past the last block.</summary>
    public void CheckRange(ulong lba, ulong blocks)
    {
        if (blocks == 0)
            throw new IscsiArgumentException("BlockCountInvalid", $"Block count {blocks} must be at least 1.");
        if (lba >= BlockCount)
            throw new IscsiArgumentException("LbaOutOfRange",
                $"LBA {lba} is past the end of LUN {Lun} of {_session.NodeAddress}: its last block is {BlockCount - 1} ({BlockCount} blocks of {BlockSize} bytes).");
        if (blocks > BlockCount - lba)
            throw new IscsiArgumentException("LbaOutOfRange",
                $"{blocks} blocks from LBA {lba} run past the end of LUN {Lun} of {_session.NodeAddress}: its last block is {BlockCount - 1}, so at most {BlockCount - lba} blocks fit.");
    }

    /// <summary>The block count of <paramref name="length"/> bytes; <c>DataNotBlockMultiple</c> when it is not a positive whole number of blocks.</summary>
    public ulong BlocksOf(long length)
    {
        if (length <= 0 || length % BlockSize != 0)
            throw new IscsiArgumentException("DataNotBlockMultiple",
                $"The data is {length} bytes, not a positive multiple of LUN {Lun}'s block size {BlockSize} (the nearest whole numbers of blocks are {length / BlockSize * BlockSize} and {(length / BlockSize + 1) * BlockSize} bytes).");
        return (ulong)(length / BlockSize);
    }

    /// <summary>Write-IscsiBlock takes its data from exactly one of -Data and -Path.</summary>
    public static void CheckWriteSource(byte[]? data, string? path)
    {
        if (data is not null && path is not null)
            throw new IscsiArgumentException("DataSourceConflict", $"Both -Data ({data.Length} bytes) and -Path '{path}' were given; give one.");
        if (data is null && path is null)
            throw new IscsiArgumentException("DataSourceMissing", "Give the data to write with -Data (a byte[], or piped bytes) or -Path (a file).");
    }

    /// <summary><c>PathIsDirectory</c> for a -Path that names a directory (the OS would only say "access denied").</summary>
    public static void CheckFilePath(string path)
    {
        if (Directory.Exists(path))
            throw new IscsiArgumentException("PathIsDirectory", $"-Path '{path}' is a directory; give a file name (the file is created or overwritten).");
    }

    /// <summary>Reads the range into one new array.</summary>
    public async Task<byte[]> ReadAsync(ulong lba, ulong blocks, TransferOptions options, IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        CheckRange(lba, blocks);
        ulong total = blocks * (ulong)BlockSize;
        if (total > MaxInMemoryBytes)
            throw new IscsiArgumentException("TransferTooLargeForMemory",
                $"{blocks} blocks of {BlockSize} bytes ({total} bytes) are more than {MaxInMemoryBytes} bytes in memory: read them to a file with -Path.");
        var data = new byte[total];
        var pipeline = Pipeline(BlockTransferKind.Read, lba, blocks, options);
        ulong done = 0;
        await pipeline.RunAsync(
            (request, _) => _session.Session.ReadBlocksAsync(Lun, request.Lba, (int)request.Blocks, BlockSize,
                data.AsMemory((int)request.Offset, pipeline.BytesOf(request)), cancellationToken),
            (request, _, result) =>
            {
                EnsureRead(request, result);
                done += (ulong)pipeline.BytesOf(request);
                progress?.Report(new TransferProgress(TransferPhase.Reading, done, total));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return data;
    }

    /// <summary>Streams the range into a file (created or overwritten) through BufferCount buffers of BufferSize bytes.
    /// Stopped or failed midway, the file keeps every block read so far, in order from <paramref name="lba"/>.</summary>
    public async Task<TransferSummary> ReadToFileAsync(string path, ulong lba, ulong blocks, TransferOptions options,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        CheckFilePath(path);
        CheckRange(lba, blocks);
        var pipeline = Pipeline(BlockTransferKind.Read, lba, blocks, options, path);
        var buffers = NewBuffers(pipeline);
        ulong done = 0;
        var watch = Stopwatch.StartNew();
        // Unbuffered, synchronous writes: each one is a whole request (a buffer would only add a copy), written on
        // the thread the read completed on while the other requests stay in flight. An asynchronous FileStream
        // blocks a pool thread in the same write on Linux anyway, after one more thread hand-off per request.
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        await pipeline.RunAsync(
            (request, slot) => _session.Session.ReadBlocksAsync(Lun, request.Lba, (int)request.Blocks, BlockSize, buffers[slot], cancellationToken),
            (request, slot, result) =>
            {
                EnsureRead(request, result);
                // Not cancellable: a block that arrived is written whole, so the file stays a clean prefix.
                file.Write(buffers[slot], 0, pipeline.BytesOf(request));
                done += (ulong)pipeline.BytesOf(request);
                progress?.Report(new TransferProgress(TransferPhase.Reading, done, pipeline.TotalBytes));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return new TransferSummary(_session.NodeAddress, Lun, lba, blocks, BlockSize, path, false, watch.Elapsed);
    }

    /// <summary>Writes the data (a whole number of blocks) at <paramref name="lba"/>; with <paramref name="verify"/>
    /// reads it back and compares (<c>VerifyMismatch</c> naming the first differing block).</summary>
    public async Task<TransferSummary> WriteAsync(ReadOnlyMemory<byte> data, ulong lba, bool verify, TransferOptions options,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ulong blocks = BlocksOf(data.Length);
        CheckRange(lba, blocks);
        var pipeline = Pipeline(BlockTransferKind.Write, lba, blocks, options);
        ulong done = 0;
        var watch = Stopwatch.StartNew();
        await pipeline.RunAsync(
            (request, _) => _session.Session.WriteBlocksAsync(Lun, request.Lba, BlockSize, data.Slice((int)request.Offset, pipeline.BytesOf(request)), cancellationToken),
            (request, _, result) =>
            {
                EnsureGood(request, result, "WRITE");
                done += (ulong)pipeline.BytesOf(request);
                progress?.Report(new TransferProgress(TransferPhase.Writing, done, pipeline.TotalBytes));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        if (verify)
            await VerifyAsync(lba, blocks, options,
                (request, expected) => { data.Slice((int)request.Offset, expected.Length).CopyTo(expected); return Task.CompletedTask; },
                progress, cancellationToken).ConfigureAwait(false);
        return new TransferSummary(_session.NodeAddress, Lun, lba, blocks, BlockSize, null, verify, watch.Elapsed);
    }

    /// <summary>Writes a file's content (a whole number of blocks) at <paramref name="lba"/>, reading it through BufferCount buffers.</summary>
    public async Task<TransferSummary> WriteFileAsync(string path, ulong lba, bool verify, TransferOptions options,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        CheckFilePath(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        long length = RandomAccess.GetLength(file);
        ulong blocks = BlocksOf(length);
        CheckRange(lba, blocks);
        var pipeline = Pipeline(BlockTransferKind.Write, lba, blocks, options);
        var buffers = NewBuffers(pipeline);
        ulong done = 0;
        var watch = Stopwatch.StartNew();
        await pipeline.RunAsync(
            async (request, slot) =>
            {
                var buffer = buffers[slot].AsMemory(0, pipeline.BytesOf(request));
                await ReadFileExactlyAsync(file, buffer, request.Offset, path, cancellationToken).ConfigureAwait(false);
                return await _session.Session.WriteBlocksAsync(Lun, request.Lba, BlockSize, buffer, cancellationToken).ConfigureAwait(false);
            },
            (request, _, result) =>
            {
                EnsureGood(request, result, "WRITE");
                done += (ulong)pipeline.BytesOf(request);
                progress?.Report(new TransferProgress(TransferPhase.Writing, done, pipeline.TotalBytes));
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        if (verify)
            await VerifyAsync(lba, blocks, options,
                (request, expected) => ReadFileExactlyAsync(file, expected, request.Offset, path, cancellationToken),
                progress, cancellationToken).ConfigureAwait(false);
        return new TransferSummary(_session.NodeAddress, Lun, lba, blocks, BlockSize, path, verify, watch.Elapsed);
    }

    private async Task VerifyAsync(ulong lba, ulong blocks, TransferOptions options, Func<BlockRequest, Memory<byte>, Task> expectedOf,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var pipeline = Pipeline(BlockTransferKind.Verify, lba, blocks, options);
        var buffers = NewBuffers(pipeline);
        var expected = new byte[pipeline.RequestBytes];
        ulong done = 0;
        await pipeline.RunAsync(
            (request, slot) => _session.Session.ReadBlocksAsync(Lun, request.Lba, (int)request.Blocks, BlockSize, buffers[slot], cancellationToken),
            async (request, slot, result) =>
            {
                EnsureRead(request, result);
                int bytes = pipeline.BytesOf(request);
                await expectedOf(request, expected.AsMemory(0, bytes)).ConfigureAwait(false);
                int differs = buffers[slot].AsSpan(0, bytes).CommonPrefixLength(expected.AsSpan(0, bytes));
                if (differs < bytes)
                {
                    ulong badLba = request.Lba + (ulong)(differs / BlockSize);
                    throw new BlockVerifyException(badLba, Lun,
                        $"Verify failed: block {badLba} of LUN {Lun} of {_session.NodeAddress} reads back differently from what was written (first difference at byte {differs % BlockSize} of the block).");
                }
                done += (ulong)bytes;
                progress?.Report(new TransferProgress(TransferPhase.Verifying, done, pipeline.TotalBytes));
            },
            cancellationToken).ConfigureAwait(false);
    }

    private BlockPipeline Pipeline(BlockTransferKind kind, ulong lba, ulong blocks, TransferOptions options, string? file = null)
        => new(kind, lba, blocks, BlockSize, options.BlocksPerRequest(BlockSize), options.BufferCount, $"LUN {Lun} of {_session.NodeAddress}", file);

    // One buffer per slot, as large as the largest request: a one-block read does not need four megabytes.
    private static byte[][] NewBuffers(BlockPipeline pipeline)
    {
        var buffers = new byte[pipeline.Depth][];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = new byte[pipeline.RequestBytes];
        return buffers;
    }

    private void EnsureRead(BlockRequest request, ScsiResult result)
    {
        EnsureGood(request, result, "READ");
        int expected = (int)(request.Blocks * (ulong)BlockSize);
        if (result.DataInLength < expected)
            throw new IscsiProtocolException(
                $"READ of {request.Blocks} blocks at LBA {request.Lba} of LUN {Lun} returned {result.DataInLength} of {expected} bytes with GOOD status.", "ShortRead");
    }

    private void EnsureGood(BlockRequest request, ScsiResult result, string what)
    {
        if (result.IsGood) return;
        throw new ScsiCommandException(result, $"{what} of {request.Blocks} blocks at LBA {request.Lba} of LUN {Lun} of {_session.NodeAddress} failed: {ScsiOutcomeText.Describe(result)}.");
    }

    private static async Task ReadFileExactlyAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, Memory<byte> buffer, long offset,
        string path, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(file, buffer[read..], offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new IscsiArgumentException("FileChanged", $"{path} became shorter while it was being written to the LUN.");
            read += n;
        }
    }
}
