namespace Iscsi.Tests.Fuzz;

/// <summary>A read-only stream over bytes in memory that hands them out in reads of random size (1 byte to all),
/// as TCP may, so the receive buffer's refill and compaction paths are fuzzed too. Reads complete synchronously,
/// which keeps the reader on the test's thread (its allocations are then measurable per thread).
/// Without a <see cref="Random"/> every read returns as much as was asked for (and is left); with
/// <c>recordRequests</c> it keeps the size of every read asked for in <see cref="Requests"/>.</summary>
internal sealed class ChunkedStream : Stream
{
    private readonly byte[] _data;
    private readonly Random? _random;
    private int _position;

    public ChunkedStream(byte[] data, Random? random, bool recordRequests = false)
    {
        _data = data;
        _random = random;
        Requests = recordRequests ? new List<int>() : null;
    }

    /// <summary>How many bytes each read asked for, in order (null unless recording was asked for).</summary>
    public List<int>? Requests { get; }

    public bool AtEnd => _position == _data.Length;

    public override int Read(Span<byte> buffer)
    {
        Requests?.Add(buffer.Length);
        int left = _data.Length - _position;
        if (left == 0 || buffer.Length == 0) return 0;
        int max = Math.Min(left, buffer.Length);
        int n = _random is not null && _random.Next(3) == 0 ? 1 + _random.Next(Math.Min(max, 7)) : max;
        _data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
