using Iscsi.Pdu;
using Iscsi.Session;
using Iscsi.Tests.Fuzz;

namespace Iscsi.Tests.Session;

/// <summary>
/// How far the receive buffer reads ahead: after a PDU whose data segment went straight into the caller's memory
/// (<see cref="PduReader.BulkSegmentLength"/> and up), a header refill asks the socket for little more than the
/// header, so the next large segment is not pulled into the buffer and copied out again; after a small PDU it reads
/// as much as the buffer holds, so that a run of small PDUs costs one receive, not one each.
/// </summary>
public sealed class ReceiveBufferRefillTests
{
    private const int BufferSize = 64 * 1024;

    [Fact]
    public async Task After_a_large_segment_a_header_refill_asks_for_one_header_and_after_a_small_one_for_the_whole_buffer()
    {
        var pdus = new[] { 128 * 1024, 128 * 1024, 8000, 0, 128 * 1024, 0 }.Select(Pdu).ToArray();
        var stream = new ChunkedStream(pdus.SelectMany(p => p.Header.Concat(p.Data)).ToArray(), random: null, recordRequests: true);
        var reader = new PduReader(new ReceiveBuffer(stream, BufferSize)) { MaxDataSegmentLength = 256 * 1024 };
        var headerRequests = new List<int[]>();
        foreach (var (header, data) in pdus)
        {
            int before = stream.Requests!.Count;
            int dsl = await reader.ReadHeaderAsync(default);
            headerRequests.Add(stream.Requests.Skip(before).ToArray());
            Assert.Equal(header, reader.Header.ToArray());
            Assert.Equal(data.Length, dsl);
            var received = new byte[dsl];
            if (dsl >= PduReader.BulkSegmentLength)
                await reader.ReadPartAsync(received, 0, default);
            else
                using (var segment = await reader.ReadSegmentAsync(dsl, default))
                    segment.Span.CopyTo(received);
            await reader.FinishSegmentAsync(dsl, 0, default);
            Assert.Equal(data, received);
        }

        // The first header: nothing is known yet, so the refill reads as much as fits (and takes 64 KiB of the first
        // segment with it, which is copied out: the price of the first PDU only).
        Assert.Equal([BufferSize], headerRequests[0]);
        // Behind a 128 KiB segment: the next header alone (plus one header's worth of slack), whatever follows it.
        Assert.Equal([2 * Bhs.Length], headerRequests[1]);
        Assert.Equal([2 * Bhs.Length], headerRequests[2]);
        // Behind an 8000-byte segment (read from the socket straight into the caller's memory, but below the
        // threshold): the buffer's free space again, which brings PDU 4's header and 64 KiB of its data along.
        Assert.Equal([BufferSize], headerRequests[3]);
        Assert.Empty(headerRequests[4]);
        Assert.Equal([2 * Bhs.Length], headerRequests[5]);
        Assert.True(stream.AtEnd);
    }

    [Fact]
    public async Task Every_pdu_reads_back_whole_whatever_sizes_the_socket_returns()
    {
        // Mixed sizes on both sides of the threshold, a socket that hands out random short reads, with and without
        // digests: the bulk/small switching never loses or shifts a byte.
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            bool digests = seed % 2 == 1;
            var sizes = Enumerable.Range(0, 12).Select(_ => random.Next(4) switch
            {
                0 => 0,
                1 => random.Next(1, 4096),
                2 => random.Next(PduReader.BulkSegmentLength - 8, PduReader.BulkSegmentLength + 8),
                _ => random.Next(64 * 1024, 200 * 1024),
            }).ToArray();
            var pdus = sizes.Select(Pdu).ToArray();
            var bytes = pdus.SelectMany(p => Framed(p, digests)).ToArray();
            var reader = new PduReader(new ReceiveBuffer(new ChunkedStream(bytes, random), BufferSize))
            {
                MaxDataSegmentLength = 256 * 1024, HeaderDigest = digests, DataDigest = digests,
            };
            foreach (var (header, data) in pdus)
            {
                int dsl = await reader.ReadHeaderAsync(default);
                Assert.Equal(header, reader.Header.ToArray());
                var received = new byte[dsl];
                // Large segments in two parts, as the Data-In path does when a segment spans two buffer ranges.
                int half = dsl / 2;
                uint state = await reader.ReadPartAsync(received.AsMemory(0, half), Crc32C.InitialState, default);
                state = await reader.ReadPartAsync(received.AsMemory(half), state, default);
                await reader.FinishSegmentAsync(dsl, state, default);
                Assert.Equal(data, received);
            }
        }
    }

    private static (byte[] Header, byte[] Data) Pdu(int length)
    {
        var header = new byte[Bhs.Length];
        header[0] = 0x25; // SCSI Data-In
        header[1] = 0x80; // F
        header[5] = (byte)(length >> 16);
        header[6] = (byte)(length >> 8);
        header[7] = (byte)length;
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return (header, data);
    }

    private static IEnumerable<byte> Framed((byte[] Header, byte[] Data) pdu, bool digests)
    {
        var frame = new List<byte>(pdu.Header);
        if (digests) frame.AddRange(Digest(pdu.Header));
        frame.AddRange(pdu.Data);
        var padding = new byte[PduLayout.PaddingOf(pdu.Data.Length)];
        frame.AddRange(padding);
        if (digests && pdu.Data.Length > 0) frame.AddRange(Digest([.. pdu.Data, .. padding]));
        return frame;
    }

    private static byte[] Digest(byte[] bytes)
    {
        var digest = new byte[4];
        Crc32C.WriteDigest(digest, Crc32C.Compute(bytes));
        return digest;
    }
}
