namespace Iscsi.Scsi;

/// <summary>One request of a block transfer: its blocks, and where its bytes sit in the whole transfer.</summary>
public readonly record struct BlockRequest(long Index, ulong Lba, uint Blocks, long Offset);

/// <summary>What a block transfer does to the LU: the words its account of a cut-short transfer uses.</summary>
public enum BlockTransferKind { Read, Write, Verify }

/// <summary>
/// A block range moved as a pipeline of requests: split into requests of at most <c>requestBlocks</c> blocks, up to
/// <c>depth</c> of them in flight, each with a slot (a buffer) of its own, completed strictly in LBA order (towards a
/// file, a hex dump, the caller's array or a comparison). The one pipeline behind Read-/Write-IscsiBlock and
/// `iscsi read`/`iscsi write`: at most depth requests' memory is in use whatever the size of the range.
/// </summary>
/// <remarks>
/// A transfer cut short says exactly how far it got (<see cref="Describe"/>): the requests completed in order are
/// done (a write the target acknowledged is on the disk); the ones in flight when it failed or was stopped are waited
/// for (no buffer is still being filled when RunAsync returns) and are then acknowledged or unknown (a write may or
/// may not have been executed); the rest were never sent. Only the requests in the window are tracked, so a transfer
/// of a billion blocks costs no more memory than one of a thousand.
/// </remarks>
public sealed class BlockPipeline
{
    private enum Ending : byte { Acknowledged, Unknown }

    private readonly ulong _lba;
    private readonly ulong _blocks;
    private readonly int _blockSize;
    private readonly uint _perRequest;
    private readonly string? _file;
    private readonly Dictionary<long, Ending> _window = new(); // requests that ended out of order, after a failure or a stop
    private long _next;        // requests started
    private long _doneInOrder; // requests completed and handed on, in order

    public BlockPipeline(BlockTransferKind kind, ulong lba, ulong blocks, int blockSize, uint requestBlocks, int depth, string subject,
        string? file = null)
    {
        if (blocks == 0) throw new IscsiArgumentException("BlockCountInvalid", $"Block count {blocks} must be at least 1.");
        if (blockSize <= 0) throw new IscsiArgumentException("BlockSizeInvalid", $"Block size {blockSize} must be positive.");
        if (requestBlocks == 0) throw new IscsiArgumentException("ChunkBlocksInvalid", $"The request size {requestBlocks} blocks must be at least 1.");
        if (depth <= 0) throw new IscsiArgumentException("QueueDepthInvalid", $"The queue depth {depth} must be at least 1.");
        if ((ulong)requestBlocks * (ulong)blockSize > int.MaxValue)
            throw new IscsiArgumentException("TransferTooLarge", $"{requestBlocks} blocks of {blockSize} bytes do not fit one request buffer.");
        Kind = kind;
        _lba = lba;
        _blocks = blocks;
        _blockSize = blockSize;
        _perRequest = requestBlocks;
        _file = file;
        Subject = subject;
        RequestCount = (long)((blocks + requestBlocks - 1) / requestBlocks);
        Depth = (int)Math.Min(depth, RequestCount);
    }

    public BlockTransferKind Kind { get; }
    /// <summary>What the transfer is on, for messages ("LUN 1 of iqn...").</summary>
    public string Subject { get; }
    public long RequestCount { get; }
    /// <summary>Requests in flight at most (never more than there are requests).</summary>
    public int Depth { get; }
    /// <summary>Bytes in the largest request: the size of a slot's buffer.</summary>
    public int RequestBytes => (int)(Math.Min(_perRequest, _blocks) * (ulong)_blockSize);
    public ulong TotalBytes => _blocks * (ulong)_blockSize;

    public BlockRequest Request(long index)
    {
        ulong first = (ulong)index * _perRequest;
        return new BlockRequest(index, _lba + first, (uint)Math.Min(_perRequest, _blocks - first), (long)(first * (ulong)_blockSize));
    }

    public int BytesOf(BlockRequest request) => (int)(request.Blocks * (ulong)_blockSize);

    /// <summary>Bytes of the requests completed in order from the start: what the caller (or the file) has.</summary>
    public ulong BytesDoneInOrder => _doneInOrder == RequestCount ? TotalBytes : (ulong)_doneInOrder * _perRequest * (ulong)_blockSize;

    /// <summary>Runs the transfer: <paramref name="start"/> begins a request in a slot (0..Depth-1);
    /// <paramref name="completeInOrder"/> takes each result in LBA order (it throws to fail the transfer) and its slot is
    /// then free for the next request. A cancellation ends as <see cref="BlockTransferStoppedException"/>; a failure of
    /// a transfer of several requests as <see cref="BlockTransferFailedException"/> around the cause; both say how far
    /// it got.</summary>
    public async Task RunAsync(Func<BlockRequest, int, Task<ScsiResult>> start, Func<BlockRequest, int, ScsiResult, ValueTask> completeInOrder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(completeInOrder);
        var inFlight = new Queue<(BlockRequest Request, int Slot, Task<ScsiResult> Task)>(Depth);
        var freeSlots = new Stack<int>(Enumerable.Range(0, Depth).Reverse());
        try
        {
            while (_next < RequestCount || inFlight.Count > 0)
            {
                while (_next < RequestCount && freeSlots.Count > 0 && !cancellationToken.IsCancellationRequested)
                {
                    int slot = freeSlots.Pop();
                    var request = Request(_next++);
                    inFlight.Enqueue((request, slot, start(request, slot)));
                }
                if (inFlight.Count == 0) break;
                var (head, headSlot, task) = inFlight.Peek();
                var result = await task.ConfigureAwait(false);
                await completeInOrder(head, headSlot, result).ConfigureAwait(false);
                inFlight.Dequeue();
                _doneInOrder++;
                freeSlots.Push(headSlot);
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            await DrainAsync(inFlight).ConfigureAwait(false);
            throw new BlockTransferStoppedException(BytesDoneInOrder, $"The {Verb} on {Subject} was stopped: {Describe()}.", ex);
        }
        catch (Exception ex) when (ex is not BlockTransferStoppedException && RequestCount > 1)
        {
            await DrainAsync(inFlight).ConfigureAwait(false);
            throw new BlockTransferFailedException(BytesDoneInOrder, $"{ex.Message} So far: {Describe()}.", ex);
        }
        finally
        {
            await DrainAsync(inFlight).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for every request still in flight (its failure, if any, is not the one reported) and notes how it ended.</summary>
    private async Task DrainAsync(Queue<(BlockRequest Request, int Slot, Task<ScsiResult> Task)> inFlight)
    {
        while (inFlight.Count > 0)
        {
            var (request, _, task) = inFlight.Dequeue();
            try { await task.ConfigureAwait(false); }
            catch (Exception) { /* noted below */ }
            _window[request.Index] = task.IsCompletedSuccessfully && task.Result.IsGood ? Ending.Acknowledged : Ending.Unknown;
        }
    }

    private string Verb => Kind switch { BlockTransferKind.Read => "read", BlockTransferKind.Write => "write", _ => "verify" };

    /// <summary>"LBA 0-2047 written, LBA 2048-4095 unknown (in flight: they may or may not be on the disk), LBA 4096-8191
    /// not sent" for a write; for a read or a verify what reached the caller in order and what did not, and for a read
    /// to a file how many bytes it keeps.</summary>
    public string Describe()
    {
        var parts = new List<(ulong First, ulong Last, string Word)>();
        void Add(ulong first, ulong last, string word)
        {
            if (parts.Count > 0 && parts[^1].Word == word && parts[^1].Last + 1 == first) parts[^1] = (parts[^1].First, last, word);
            else parts.Add((first, last, word));
        }
        ulong end = _lba + _blocks - 1;
        if (_doneInOrder > 0) Add(_lba, Request(_doneInOrder - 1).Lba + Request(_doneInOrder - 1).Blocks - 1, DoneWord);
        for (long i = _doneInOrder; i < _next; i++)
        {
            var r = Request(i);
            string word = Kind == BlockTransferKind.Write
                ? _window.GetValueOrDefault(i, Ending.Unknown) == Ending.Acknowledged ? DoneWord : "unknown (in flight: they may or may not be on the disk)"
                : NotDoneWord;
            Add(r.Lba, r.Lba + r.Blocks - 1, word);
        }
        if (_next < RequestCount) Add(Request(_next).Lba, end, Kind == BlockTransferKind.Write ? "not sent" : NotDoneWord);
        string text = string.Join(", ", parts.Select(p => $"LBA {p.First}-{p.Last} {p.Word}"));
        if (_file is not null)
            text += $"; {_file} keeps the first {BytesDoneInOrder} bytes ({BytesDoneInOrder / (ulong)_blockSize} blocks)";
        return text;
    }

    private string DoneWord => Kind switch { BlockTransferKind.Read => "read", BlockTransferKind.Write => "written", _ => "verified" };
    private string NotDoneWord => Kind == BlockTransferKind.Verify ? "not verified" : "not read";
}

/// <summary>A block transfer was cancelled (Ctrl+C): what was done is kept (a read to a file keeps the blocks it wrote,
/// in order, from the start of the range) and said here.</summary>
public sealed class BlockTransferStoppedException : IscsiException
{
    public BlockTransferStoppedException(ulong bytesCompleted, string message, Exception? inner) : base(message, inner)
        => BytesCompleted = bytesCompleted;

    /// <summary>Bytes finished from the start of the range (written to the file for a read, acknowledged by the target for a write).</summary>
    public ulong BytesCompleted { get; }
    public override string ErrorId => "TransferStopped";
}

/// <summary>A block transfer of several requests failed: the message is the cause's, followed by how far the transfer
/// got (blocks done, unknown, never sent). The ErrorId is the cause's, so scripts match the same ids either way.</summary>
public sealed class BlockTransferFailedException : IscsiException
{
    public BlockTransferFailedException(ulong bytesCompleted, string message, Exception cause) : base(message, cause)
        => BytesCompleted = bytesCompleted;

    /// <summary>Bytes finished in order from the start of the range.</summary>
    public ulong BytesCompleted { get; }
    public override string ErrorId => InnerException switch
    {
        IscsiException ie => ie.ErrorId,
        IOException or UnauthorizedAccessException => "FileError",
        _ => "TransferFailed",
    };
}
