using System.Numerics;
using Iscsi.Pdu;
using Iscsi.Session;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// <see cref="PduReader"/> over a stream of mutated valid target PDUs (every target opcode, with and without
/// digests and AHS): each PDU is read or refused with the reader's documented errors (IscsiProtocolException,
/// DataDigestException, IscsiConnectionException at the end of the stream), never anything else, and reading one
/// PDU never allocates more than the largest data segment it may accept (measured per thread: the reader runs
/// synchronously on the test's thread, so other tests running in parallel do not disturb the count).
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class PduReaderFuzzTests
{
    /// <summary>Limits the reader is run with: the login-phase 8192, common targets' values, and an odd one.</summary>
    private static readonly int[] Limits = [8192, 65536, 262144, 5000];

    /// <summary>What one PDU may cost beyond its segment buffer: exception objects and messages when it is refused.</summary>
    private const long Slack = 32 * 1024;

    [Fact]
    public void Mutated_pdu_streams_are_read_or_refused_with_documented_errors_and_bounded_allocation()
    {
        FuzzRunner.Run(nameof(PduReader), GenerateStream, ReadAll, IsDocumented);
    }

    [Fact]
    public void Unmutated_streams_read_back_every_pdu()
    {
        // The control: without mutation every PDU of the stream comes out whole, so the fuzz above does test the reader.
        for (int i = 0; i < 200; i++)
        {
            var random = new Random(FuzzRunner.IterationSeed("PduReaderControl", i));
            bool hd = random.Next(2) == 0, dd = random.Next(2) == 0;
            var stream = new List<byte>();
            var pdus = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => TargetPduCorpus.Create(random)).ToList();
            foreach (var pdu in pdus) stream.AddRange(TargetPduCorpus.Frame(pdu, hd, dd, stream.Count, []));
            var reader = new PduReader(new ReceiveBuffer(new ChunkedStream(stream.ToArray(), random))) { HeaderDigest = hd, DataDigest = dd, MaxDataSegmentLength = 8192 };
            foreach (var pdu in pdus)
            {
                int dsl = Sync(reader.ReadHeaderAsync(default));
                Assert.Equal(pdu.Bhs, reader.Header.ToArray());
                using var segment = Sync(reader.ReadSegmentAsync(dsl, default));
                Assert.Equal(pdu.Data, segment.Span.ToArray());
            }
            Assert.Equal(pdus.Count, reader.PdusReceived);
        }
    }

    private static byte[] GenerateStream(Random random)
    {
        bool hd = random.Next(2) == 0, dd = random.Next(2) == 0;
        var stream = new List<byte>();
        var fields = new List<LengthField>();
        int count = 1 + random.Next(6);
        for (int i = 0; i < count; i++)
            stream.AddRange(TargetPduCorpus.Frame(TargetPduCorpus.Create(random), hd, dd, stream.Count, fields));
        // The digest choice travels in the first byte of the input so that the body reads with the same framing.
        byte[] mutated = new Mutator(random).Mutate(new FuzzInput(stream.ToArray(), fields));
        return [(byte)((hd ? 1 : 0) | (dd ? 2 : 0)), .. mutated];
    }

    private static void ReadAll(byte[] input, Random random)
    {
        int limit = Limits[random.Next(Limits.Length)];
        var reader = new PduReader(new ReceiveBuffer(new ChunkedStream(input[1..], random)))
        {
            HeaderDigest = (input[0] & 1) != 0, DataDigest = (input[0] & 2) != 0, MaxDataSegmentLength = limit,
        };
        // ArrayPool rounds a rental up to a power of two: that, not the limit itself, is the most one segment may take.
        long bound = (long)BitOperations.RoundUpToPowerOf2((uint)limit) + Slack;
        for (int pdu = 0; pdu < 64; pdu++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                int dsl = Sync(reader.ReadHeaderAsync(default));
                Assert.InRange(dsl, 0, limit);
                ConsumeSegment(reader, dsl, random);
            }
            catch (DataDigestException)
            {
                // The PDU was consumed whole: the stream is still framed, so reading goes on.
            }
            finally
            {
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated <= bound, $"Reading one PDU allocated {allocated} bytes; the bound for a {limit}-byte limit is {bound}.");
            }
        }
    }

    /// <summary>The three ways the session takes a segment: whole into a pooled array, in parts into a caller's
    /// buffer (Data-In), or skipped.</summary>
    private static void ConsumeSegment(PduReader reader, int dsl, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                using (Sync(reader.ReadSegmentAsync(dsl, default))) { }
                break;
            case 1:
                var destination = new byte[dsl];
                uint state = Crc32C.InitialState;
                for (int at = 0; at < dsl;)
                {
                    int part = Math.Min(dsl - at, 1 + random.Next(1024));
                    state = Sync(reader.ReadPartAsync(destination.AsMemory(at, part), state, default));
                    at += part;
                }
                Sync(reader.FinishSegmentAsync(dsl, state, default));
                break;
            default:
                Sync(reader.SkipSegmentAsync(dsl, default));
                break;
        }
    }

    private static bool IsDocumented(Exception ex) =>
        ex is IscsiProtocolException or DataDigestException
        || ex is IscsiConnectionException { ErrorId: "ConnectionClosed" };

    private static T Sync<T>(ValueTask<T> task) => task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();

    private static void Sync(ValueTask task)
    {
        if (task.IsCompleted) task.GetAwaiter().GetResult();
        else task.AsTask().GetAwaiter().GetResult();
    }
}
