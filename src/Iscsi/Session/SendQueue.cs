using System.Buffers;
using System.Runtime.InteropServices;
using Iscsi.Pdu;

namespace Iscsi.Session;

/// <summary>
/// The send side of a connection in full feature phase. Callers enqueue whole PDUs synchronously (the
/// header, digests and small data segments are copied into a staging buffer; large data segments are
/// referenced, not copied) and return at once; one flush loop at a time writes what has queued up, so PDUs
/// queued while a write is in progress leave together in the next write.
/// </summary>
/// <remarks>
/// Why: with a lock held across an awaited socket write, every command at queue depth 32 waited for the
/// previous one's write and resumed on another thread (a convoy through two semaphores). Here the lock only
/// covers a copy of at most a few KiB, and a burst of 32 commands costs one system call.
/// Referenced data must stay untouched until written: it is a command's Data-Out, which its caller keeps
/// until the command completes, and a command cannot complete before its data has been sent.
/// </remarks>
internal sealed class SendQueue : IThreadPoolWorkItem
{
    private const int CoalesceLimit = 16 * 1024;
    private const int StagingSize = 256 * 1024;

    private readonly Stream _stream;
    private readonly Action<Exception> _failed;
    private readonly object _lock = new();
    private List<ReadOnlyMemory<byte>> _queued = new();
    private List<ReadOnlyMemory<byte>> _writing = new();
    private readonly List<byte[]> _retired = new();    // staging arrays referenced by the batch being written
    private readonly List<byte[]> _written = new();    // the flush loop's own: staging arrays to recycle once written
    // Written staging arrays kept for the next swap (under _lock). One flush runs at a time, so two arrays take
    // turns in the steady state: no ArrayPool traffic per flush. (Renting there on one thread and returning on
    // another, which is what awaited writes do, kept missing the pool's per-thread cache and allocated 256 KiB
    // now and then: about 150 bytes per I/O at queue depth 8.)
    private readonly Stack<byte[]> _spare = new();
    private const int MaxSpare = 2;
    private byte[] _staging;
    private int _stagingUsed;
    private bool _flushing;
    private Exception? _failure;

    public SendQueue(Stream stream, Action<Exception> failed)
    {
        _stream = stream;
        _failed = failed;
        _staging = ArrayPool<byte>.Shared.Rent(StagingSize);
    }

    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }
    public long BytesSent { get; private set; }
    public long PdusSent { get; private set; }

    /// <summary>Queues one PDU: <paramref name="bhs"/> is the 48-byte BHS with DataSegmentLength set.</summary>
    public void Enqueue(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        if (EnqueueDeferred(bhs, data))
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    /// <summary>Queues one PDU like <see cref="Enqueue"/>, but when no flush is running it leaves starting one to the
    /// caller: true means "call <see cref="FlushHere"/> once you hold no lock". The session's command path does this
    /// so that the write happens on the caller's thread after its send lock is released, rather than costing a
    /// hand-off to a pool thread per burst.</summary>
    public bool EnqueueDeferred(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        bool startFlush;
        lock (_lock)
        {
            if (_failure is not null)
                throw new IscsiConnectionException($"The connection can no longer send: {_failure.Message}", "ConnectionLost", _failure);

            int headerLength = Bhs.Length + (HeaderDigest ? 4 : 0);
            int pad = data.Length == 0 ? 0 : PduLayout.PaddingOf(data.Length);
            int trailerLength = data.Length == 0 ? 0 : pad + (DataDigest ? 4 : 0);
            bool copyData = data.Length <= CoalesceLimit;

            var header = Reserve(headerLength + (copyData ? data.Length + trailerLength : 0));
            bhs[..Bhs.Length].CopyTo(header);
            if (HeaderDigest) Crc32C.WriteDigest(header[Bhs.Length..], Crc32C.Compute(bhs[..Bhs.Length]));
            if (copyData)
            {
                var rest = header[headerLength..];
                data.Span.CopyTo(rest);
                WriteTrailer(data.Span, rest.Slice(data.Length, trailerLength), pad);
            }
            else
            {
                _queued.Add(data);
                WriteTrailer(data.Span, Reserve(trailerLength), pad);
            }
            BytesSent += headerLength + data.Length + trailerLength;
            PdusSent++;
            startFlush = !_flushing;
            _flushing = true;
        }
        // The queue itself is the work item: starting a flush on the pool allocates nothing. (Flushing right here
        // was measured slower: callers hold the session's send lock, which would then span a system call.)
        return startFlush;
    }

    /// <summary>Runs the flush loop on the calling thread (after <see cref="EnqueueDeferred"/> returned true).</summary>
    public void FlushHere() => Flush();

    /// <summary>The thread pool's entry: runs the flush loop (at most one at a time, see <see cref="_flushing"/>).</summary>
    void IThreadPoolWorkItem.Execute() => Flush();

    /// <summary>Padding, then the data digest over data + padding (RFC 7143 13.1).</summary>
    private void WriteTrailer(ReadOnlySpan<byte> data, Span<byte> trailer, int pad)
    {
        if (trailer.IsEmpty) return;
        trailer[..pad].Clear();
        if (!DataDigest) return;
        uint state = Crc32C.Update(Crc32C.InitialState, data);
        state = Crc32C.Update(state, trailer[..pad]);
        Crc32C.WriteDigest(trailer[pad..], Crc32C.Finish(state));
    }

    /// <summary>The next <paramref name="length"/> bytes of staging, queued for writing; contiguous
    /// reservations extend the previous queued slice, so they leave in one write.</summary>
    private Span<byte> Reserve(int length)
    {
        if (length == 0) return Span<byte>.Empty;
        if (_stagingUsed + length > _staging.Length)
        {
            _retired.Add(_staging);
            _staging = length > StagingSize ? ArrayPool<byte>.Shared.Rent(length) : TakeStaging();
            _stagingUsed = 0;
        }
        int start = _stagingUsed;
        _stagingUsed += length;
        if (_queued.Count > 0 && MemoryMarshal.TryGetArray(_queued[^1], out var last)
            && ReferenceEquals(last.Array, _staging) && last.Offset + last.Count == start)
            _queued[^1] = _staging.AsMemory(last.Offset, last.Count + length);
        else
            _queued.Add(_staging.AsMemory(start, length));
        return _staging.AsSpan(start, length);
    }

    /// <summary>A staging array of StagingSize bytes: a recycled one when there is one (caller holds _lock).</summary>
    private byte[] TakeStaging()
        => _spare.TryPop(out var array) ? array : ArrayPool<byte>.Shared.Rent(StagingSize);

    /*  The flush loop, written out by hand rather than as an async method: a write of a large Data-Out usually
        waits for the socket, and an async method that waits allocates its state machine and Task each time it is
        started (it is started once per burst, and discarded). Here the continuation is one cached delegate, and
        the socket's ValueTask is backed by a reusable source: a flush allocates nothing however often it waits.
        Only one flush runs at a time (_flushing), so the fields below belong to whichever thread runs it.  */
    private int _writeIndex;            // next chunk of _writing to write
    private ValueTask _pendingWrite;    // the write being waited for
    private Action? _resume;

    private void Flush()
    {
        try
        {
            while (true)
            {
                if (_writeIndex == 0 && !TakeBatch()) return;
                while (_writeIndex < _writing.Count)
                {
                    var write = _stream.WriteAsync(_writing[_writeIndex++]);
                    if (write.IsCompletedSuccessfully) continue;
                    if (!write.IsCompleted)
                    {
                        _pendingWrite = write;
                        write.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_resume ??= ResumeAfterWrite);
                        return;
                    }
                    write.GetAwaiter().GetResult(); // throws the write's failure
                }
                FinishBatch();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void ResumeAfterWrite()
    {
        var write = _pendingWrite;
        _pendingWrite = default;
        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }
        Flush();
    }

    /// <summary>Swaps what has queued up into the batch to write; false (and the flush ends) when nothing has.</summary>
    private bool TakeBatch()
    {
        lock (_lock)
        {
            if (_queued.Count == 0)
            {
                _flushing = false;
                return false;
            }
            (_queued, _writing) = (_writing, _queued);
            // The batch references the current staging array: new PDUs go to a fresh one, and this one is
            // recycled once written.
            _written.AddRange(_retired);
            _retired.Clear();
            _written.Add(_staging);
            _staging = TakeStaging();
            _stagingUsed = 0;
            return true;
        }
    }

    private void FinishBatch()
    {
        _writing.Clear();
        _writeIndex = 0;
        lock (_lock)
        {
            foreach (var array in _written)
            {
                if (array.Length == StagingSize && _spare.Count < MaxSpare) _spare.Push(array);
                else ArrayPool<byte>.Shared.Return(array);
            }
        }
        _written.Clear();
    }

    private void Fail(Exception ex)
    {
        lock (_lock)
        {
            _failure = ex;
            _flushing = false;
        }
        _failed(ex);
    }
}
