using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Iscsi.Session;

/// <summary>
/// A stream over a connected TCP socket that never uses .NET's asynchronous socket engine: the socket stays
/// non-blocking, every call tries the system call at once, and a read that has to wait spins briefly, then waits in
/// poll(2) on the calling thread - libiscsi's model, and the reason a connection's receive loop has a thread of its own.
/// </summary>
/// <remarks>
/// Why not NetworkStream: its first asynchronous operation registers the socket with the runtime's epoll thread for
/// good, and from then on the sender of every segment finds a waiter to wake (that thread), whatever our reader is
/// doing. Here nobody waits on the socket unless our reader sleeps in poll, so a reader that spins (see
/// <see cref="Spin"/>) costs the target no wake-ups at all. Reads and writes may run on different threads at once.
/// Writes never wait on the caller's thread (it may be the receive loop, and a target that stops reading until we
/// read would then hold both sides): a write that finds the socket full finishes on a pool thread.
/// </remarks>
internal sealed class PolledSocketStream : Stream, IValueTaskSource, IThreadPoolWorkItem
{
    // How long one poll waits before the caller's cancellation token is looked at again. Closing a connection
    // shuts the socket down, which ends a poll at once; the slice only bounds cancellation without a close.
    private const int WaitSliceMicroseconds = 200_000;

    private readonly Socket _socket;
    private bool _drained; // the last receive got less than it asked for: the socket was empty then (reader's field)

    // The one write that found the socket full (writes are issued one at a time: SendQueue flushes one batch at a
    // time and login writes in turn). Reused, so that a full socket costs no allocation.
    private ManualResetValueTaskSourceCore<bool> _pendingWrite;
    private ReadOnlyMemory<byte> _unsent;
    private CancellationToken _unsentCancellation;

    public PolledSocketStream(Socket socket)
    {
        socket.Blocking = false;
        _socket = socket;
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads what has arrived (at least one byte), waiting in poll on this thread; 0 at end of stream.
    /// Completes synchronously.</summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => new(Receive(buffer.Span, cancellationToken));

    public override int Read(Span<byte> buffer) => Receive(buffer, CancellationToken.None);
    public override int Read(byte[] buffer, int offset, int count) => Receive(buffer.AsSpan(offset, count), CancellationToken.None);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Receive(buffer.AsSpan(offset, count), cancellationToken));

    private int Receive(Span<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty) return 0;
        // After a receive that emptied the socket, wait first rather than pay a receive that fails.
        bool wait = _drained;
        while (true)
        {
            if (wait)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Whatever poll reports, the receive after it says what happened (data, end of stream, or the error).
                WaitReadable();
            }
            int n = _socket.Receive(buffer, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                _drained = n < buffer.Length;
                return n;
            }
            if (error != SocketError.WouldBlock) throw Broken(error, "receiving");
            wait = true;
        }
    }

    /// <summary>How long a read that finds the socket empty keeps asking (poll with no timeout) before it sleeps in
    /// poll. Zero: sleep at once. Ignored on a single processor, where spinning would only delay the sender.</summary>
    public TimeSpan Spin
    {
        get => TimeSpan.FromSeconds((double)_spinTicks / Stopwatch.Frequency);
        set => _spinTicks = Environment.ProcessorCount > 1 ? (long)(value.TotalSeconds * Stopwatch.Frequency) : 0;
    }

    private long _spinTicks;

    // How often recent spins found data, in 1/1024 (an average that gives each new spin 1/16 of the weight). Below
    // RestingScore (about 6%: dozens of spins in a row ended asleep anyway: a slow or distant target, where the spin
    // only burns CPU) the reader stops spinning, and tries one spin every RestingProbeInterval waits to notice when
    // that changes. A queue-depth-1 workload whose round trip straddles the spin still catches often enough to spin.
    internal const int RestingScore = 64;
    internal const int RestingProbeInterval = 64;
    private int _catchScore = 1024;
    private int _restingWaits;

    /// <summary>Spins started and spins that found data (the receive thread's own counters; for tests).</summary>
    internal long SpinsTried { get; private set; }
    internal long SpinsCaught { get; private set; }

    /*  Why spin: a reader asleep in poll has to be woken by whoever delivers the data, and on loopback (or any fast
        link) that is the target's own thread paying for the wake-up inside its send. Against tgtd (docs/performance.md)
        128 KiB reads at queue depth 32 went from about 7,900 to 11,200 I/Os per second with a 50 µs spin, and at
        queue depth 1 a round trip fits inside the spin, so the reader never sleeps (3,800 -> 15,200 I/Os per second,
        at less CPU per I/O). The price is CPU while data streams in: the reader no longer sleeps between segments
        (1 MiB reads: 330 -> 540 µs per I/O). A spin that ends asleep anyway is pure cost, hence the resting rule.  */
    private void WaitReadable()
    {
        if (_spinTicks > 0 && (_catchScore >= RestingScore || ++_restingWaits % RestingProbeInterval == 0))
        {
            SpinsTried++;
            long until = Stopwatch.GetTimestamp() + _spinTicks;
            do
            {
                // poll with a zero timeout neither sleeps nor leaves a waiter on the socket for the sender to wake.
                if (_socket.Poll(0, SelectMode.SelectRead))
                {
                    SpinsCaught++;
                    _catchScore += (1024 - _catchScore) >> 4;
                    return;
                }
            } while (Stopwatch.GetTimestamp() < until);
            _catchScore -= _catchScore >> 4;
        }
        _socket.Poll(WaitSliceMicroseconds, SelectMode.SelectRead);
    }

    /// <summary>Writes all of <paramref name="buffer"/>: at once when the socket has room (completed), otherwise the
    /// rest on a pool thread. The caller keeps the buffer untouched until the returned task completes.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int sent = SendWhatFits(buffer.Span);
        if (sent == buffer.Length) return default;
        _unsent = buffer[sent..];
        _unsentCancellation = cancellationToken;
        _pendingWrite.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask(this, _pendingWrite.Version);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[SendWhatFits(buffer)..];
            if (!buffer.IsEmpty) _socket.Poll(WaitSliceMicroseconds, SelectMode.SelectWrite);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Sends until the socket is full; returns how many bytes went.</summary>
    private int SendWhatFits(ReadOnlySpan<byte> data)
    {
        int sent = 0;
        while (sent < data.Length)
        {
            int n = _socket.Send(data[sent..], SocketFlags.None, out var error);
            if (error == SocketError.Success) sent += n;
            else if (error == SocketError.WouldBlock) break;
            else throw Broken(error, "sending");
        }
        return sent;
    }

    /// <summary>The rest of a write that found the socket full, on a pool thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            var rest = _unsent;
            while (!rest.IsEmpty)
            {
                _unsentCancellation.ThrowIfCancellationRequested();
                // As for reads, the send after the poll reports any error; a poll that only timed out costs a try.
                _socket.Poll(WaitSliceMicroseconds, SelectMode.SelectWrite);
                rest = rest[SendWhatFits(rest.Span)..];
            }
        }
        catch (Exception ex)
        {
            _unsent = default;
            _pendingWrite.SetException(ex);
            return;
        }
        _unsent = default;
        _pendingWrite.SetResult(true);
    }

    void IValueTaskSource.GetResult(short token) => _pendingWrite.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _pendingWrite.GetStatus(token);
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _pendingWrite.OnCompleted(continuation, state, token, flags);

    private static IOException Broken(SocketError error, string doing)
        => new($"The connection failed while {doing}: {new SocketException((int)error).Message}", new SocketException((int)error));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _socket.Dispose();
        base.Dispose(disposing);
    }
}
