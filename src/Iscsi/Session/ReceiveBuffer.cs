using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Iscsi.Session;

/// <summary>
/// The receive side of one connection: a small buffer for headers and short data segments, with large
/// Data-In payloads read from the socket straight into the caller's memory (no intermediate copy for
/// the bulk of the bytes; only what already sits in the buffer is copied).
/// </summary>
/// <remarks>Pooled async state machines, as in <see cref="PduReader"/>: waiting for the socket allocates nothing.</remarks>
internal sealed class ReceiveBuffer
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public ReceiveBuffer(Stream stream, int size = 64 * 1024)
    {
        _stream = stream;
        _buffer = new byte[size];
    }

    public int Buffered => _end - _start;
    public long BytesReceived { get; private set; }

    /// <summary>
    /// Set by the reader after each header: true when that PDU's data segment was large enough to be read
    /// straight into the caller's memory. While it is true, refills read only what was asked for plus one
    /// header's worth, instead of as much as the buffer holds.
    /// </summary>
    /// <remarks>
    /// Why: a refill that fetches a header normally also fetches whatever follows it. Behind the header of a
    /// 128 KiB Data-In that is up to 64 KiB of payload, which then has to be copied out of this buffer (a
    /// profile of 128 KiB reads showed that memmove at 5-7% of the initiator's CPU). When large segments are
    /// arriving, one more small receive per PDU is cheaper than that copy; when small PDUs arrive, reading
    /// many at once is cheaper than a receive each. The last PDU is a good predictor of the next one.
    /// </remarks>
    public bool BulkExpected { get; set; }

    /// <summary>How far one refill may read: the header's worth beyond <paramref name="needed"/> lets the
    /// header that follows a segment's padding/digest arrive in the same receive.</summary>
    private int RefillLength(int needed) =>
        BulkExpected ? Math.Min(needed + Pdu.Bhs.Length, _buffer.Length - _end) : _buffer.Length - _end;

    /// <summary>The next <paramref name="count"/> buffered bytes; call <see cref="EnsureAsync"/> first.</summary>
    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available (count must fit the buffer).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
            throw new IscsiProtocolException($"A header of {count} bytes does not fit the {_buffer.Length}-byte receive buffer.", "PduHeaderTooLong");
        if (Buffered >= count) return;
        if (_start + count > _buffer.Length)
        {
            // Compact: move the partial PDU to the front so the rest can follow it.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
            _end -= _start;
            _start = 0;
        }
        while (Buffered < count)
        {
            int n = await _stream.ReadAsync(_buffer.AsMemory(_end, RefillLength(count - Buffered)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IscsiConnectionException("The target closed the connection.", "ConnectionClosed");
            _end += n;
            BytesReceived += n;
        }
    }

    /// <summary>Fills <paramref name="destination"/>: first from what is buffered, then directly from the socket.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int fromBuffer = Math.Min(Buffered, destination.Length);
        if (fromBuffer > 0)
        {
            _buffer.AsSpan(_start, fromBuffer).CopyTo(destination.Span);
            Consume(fromBuffer);
            destination = destination[fromBuffer..];
        }
        // Large remainders go straight into the destination; small ones refill our buffer first so that a
        // tiny read does not cost a system call of its own.
        while (destination.Length > 0)
        {
            if (destination.Length < 4096)
            {
                await EnsureAsync(destination.Length, cancellationToken).ConfigureAwait(false);
                Peek(destination.Length).CopyTo(destination.Span);
                Consume(destination.Length);
                return;
            }
            int n = await _stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IscsiConnectionException("The target closed the connection.", "ConnectionClosed");
            BytesReceived += n;
            destination = destination[n..];
        }
    }

    /// <summary>Discards <paramref name="count"/> bytes (padding, or data nobody wants).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SkipAsync(int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            int chunk = Math.Min(count, _buffer.Length);
            await EnsureAsync(chunk, cancellationToken).ConfigureAwait(false);
            Consume(chunk);
            count -= chunk;
        }
    }
}
