using System.Buffers;
using System.Runtime.CompilerServices;
using Iscsi.Pdu;

namespace Iscsi.Session;

/// <summary>A data segment read into a pooled array; return it with <see cref="Dispose"/>.</summary>
internal readonly struct RentedSegment : IDisposable
{
    private readonly byte[]? _array;
    public RentedSegment(byte[]? array, int length) { _array = array; Length = length; }
    public int Length { get; }
    public ReadOnlyMemory<byte> Memory => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, Length);
    public ReadOnlySpan<byte> Span => _array is null ? ReadOnlySpan<byte>.Empty : _array.AsSpan(0, Length);
    public void Dispose() { if (_array is not null) ArrayPool<byte>.Shared.Return(_array); }
}

/// <summary>
/// Reads incoming PDUs from a <see cref="ReceiveBuffer"/>: validates the header (lengths, AHS, header
/// digest) before anything of the data segment is buffered, then lets the caller decide where the data goes.
/// </summary>
/// <remarks>
/// The async methods use pooled state machines: each one that has to wait for the socket would otherwise
/// allocate its state machine on every PDU (the receive loop awaits each result exactly once, as pooling requires).
/// </remarks>
internal sealed class PduReader
{
    // RFC 7143 caps TotalAHSLength at 255 words; anything we cannot hold in the receive buffer with the
    // BHS is refused before it is read.
    private const int MaxAhsBytes = 255 * 4;

    // Data segments from this size on are read straight into the caller's memory, so the receive buffer should
    // not read ahead into them (see ReceiveBuffer.BulkExpected). Below it, copying out of the buffer costs less
    // than the extra receive per PDU.
    internal const int BulkSegmentLength = 16 * 1024;

    private readonly ReceiveBuffer _rx;
    private readonly byte[] _header = new byte[Bhs.Length];

    public PduReader(ReceiveBuffer rx) => _rx = rx;

    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }
    /// <summary>The largest data segment we accept: 8192 during login, our declared MaxRecvDataSegmentLength after.</summary>
    public int MaxDataSegmentLength { get; set; } = 8192;
    public long DigestErrors { get; private set; }
    public long PdusReceived { get; private set; }

    /// <summary>True when the next BHS (and its header digest) is already buffered: reading it will not wait.</summary>
    public bool HeaderBuffered => _rx.Buffered >= BhsAndDigestLength;

    private int BhsAndDigestLength => Bhs.Length + (HeaderDigest ? Crc32C.DigestLength : 0);

    /// <summary>The BHS of the PDU just read by <see cref="ReadHeaderAsync"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Header => _header;

    /// <summary>Reads and checks the next BHS (+AHS, + header digest). Returns the data segment length.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        // Asking for the digest with the BHS saves a second receive per PDU when the buffer reads only what is asked.
        await _rx.EnsureAsync(BhsAndDigestLength, cancellationToken).ConfigureAwait(false);
        var bhs = _rx.Peek(Bhs.Length);
        int ahs = Bhs.GetTotalAhsLength(bhs);
        int dsl = Bhs.GetDataSegmentLength(bhs);
        var opcode = Bhs.GetOpcode(bhs);
        if (dsl > MaxDataSegmentLength)
            throw new IscsiProtocolException(
                $"The target sent a PDU ({OpcodeNames.Describe(opcode)}) with a {dsl}-byte data segment; the negotiated limit is {MaxDataSegmentLength}.",
                "DataSegmentTooLong") { InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs) };
        if (ahs > MaxAhsBytes)
            throw new IscsiProtocolException($"AHS length {ahs} is beyond the protocol's maximum.", "AhsTooLong") { InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs) };

        int headerLength = Bhs.Length + ahs + (HeaderDigest ? 4 : 0);
        await _rx.EnsureAsync(headerLength, cancellationToken).ConfigureAwait(false);
        var all = _rx.Peek(headerLength);
        if (ahs > 0 && !AhsReader.TryValidate(all.Slice(Bhs.Length, ahs), out var ahsError))
            throw new IscsiProtocolException($"Malformed AHS in a PDU ({OpcodeNames.Describe(opcode)}): {ahsError}", "AhsMalformed")
                { InitiatorTaskTag = Bhs.GetInitiatorTaskTag(all) };
        if (HeaderDigest)
        {
            uint expected = Crc32C.Compute(all[..(Bhs.Length + ahs)]);
            uint actual = Crc32C.ReadDigest(all.Slice(Bhs.Length + ahs, 4));
            if (expected != actual)
            {
                DigestErrors++;
                throw new IscsiProtocolException(
                    $"Header digest error on a PDU ({OpcodeNames.Describe(opcode)}) (expected 0x{expected:X8}, got 0x{actual:X8}).", "HeaderDigestError");
            }
        }
        all[..Bhs.Length].CopyTo(_header);
        _rx.Consume(headerLength); // AHS is validated and skipped: no initiator-side AHS carries anything we need
        _rx.BulkExpected = dsl >= BulkSegmentLength;
        PdusReceived++;
        return dsl;
    }

    /// <summary>Up to <paramref name="max"/> bytes received and not yet taken: what a peer that is not an iSCSI target
    /// sent, to quote in the error.</summary>
    public ReadOnlySpan<byte> PeekReceived(int max) => _rx.Peek(Math.Min(max, _rx.Buffered));

    /// <summary>Reads a whole data segment (+ padding + digest) into a pooled array.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RentedSegment> ReadSegmentAsync(int length, CancellationToken cancellationToken)
    {
        if (length == 0) return default;
        var array = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _rx.ReadExactlyAsync(array.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            uint state = DataDigest ? Crc32C.Update(Crc32C.InitialState, array.AsSpan(0, length)) : 0;
            await FinishSegmentAsync(length, state, cancellationToken).ConfigureAwait(false);
            return new RentedSegment(array, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with the next bytes of a data segment (part of a larger
    /// segment); returns the running digest state.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<uint> ReadPartAsync(Memory<byte> destination, uint digestState, CancellationToken cancellationToken)
    {
        await _rx.ReadExactlyAsync(destination, cancellationToken).ConfigureAwait(false);
        return DataDigest ? Crc32C.Update(digestState, destination.Span) : digestState;
    }

    /// <summary>Consumes padding and checks the data digest of a segment of <paramref name="length"/> bytes
    /// whose bytes have been fed into <paramref name="digestState"/>. A bad digest throws
    /// <see cref="DataDigestException"/>: the PDU was fully consumed, so the connection is still in step.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FinishSegmentAsync(int length, uint digestState, CancellationToken cancellationToken)
    {
        if (length == 0) return;
        int pad = PduLayout.PaddingOf(length);
        int trailer = pad + (DataDigest ? 4 : 0);
        if (trailer == 0) return;
        await _rx.EnsureAsync(trailer, cancellationToken).ConfigureAwait(false);
        var bytes = _rx.Peek(trailer);
        if (DataDigest)
        {
            uint expected = Crc32C.Finish(Crc32C.Update(digestState, bytes[..pad]));
            uint actual = Crc32C.ReadDigest(bytes.Slice(pad, 4));
            _rx.Consume(trailer);
            if (expected != actual)
            {
                DigestErrors++;
                throw new DataDigestException(expected, actual);
            }
            return;
        }
        _rx.Consume(trailer);
    }

    /// <summary>Skips a data segment nobody wants (still checking nothing: its digest is irrelevant).</summary>
    public ValueTask SkipSegmentAsync(int length, CancellationToken cancellationToken)
        => length == 0 ? ValueTask.CompletedTask
            : _rx.SkipAsync(PduLayout.PadTo4(length) + (DataDigest ? 4 : 0), cancellationToken);
}

/// <summary>A data digest mismatch on a PDU that was read completely (the stream is still framed).</summary>
internal sealed class DataDigestException : Exception
{
    public DataDigestException(uint expected, uint actual)
        : base($"Data digest error (expected 0x{expected:X8}, got 0x{actual:X8}).") { }
}
