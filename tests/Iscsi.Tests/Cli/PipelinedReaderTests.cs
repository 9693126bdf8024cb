using Iscsi.Scsi;
using IscsiCli;

namespace Iscsi.Tests.Cli;

/// <summary>The read-ahead of `iscsi read`: in order, bounded, and never leaving a buffer being filled.
/// Pure logic: the READs are tasks completed by the test in whatever order it likes.</summary>
public sealed class PipelinedReaderTests
{
    private const int BlockSize = 512;

    private sealed class ScriptedReads
    {
        public readonly List<(ulong Lba, int Blocks, Memory<byte> Buffer, TaskCompletionSource<ScsiResult> Done)> Started = [];
        public int InFlight, MaxInFlight;

        public Task<ScsiResult> Read(ulong lba, int blocks, Memory<byte> buffer, CancellationToken _)
        {
            var done = new TaskCompletionSource<ScsiResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Started)
            {
                Started.Add((lba, blocks, buffer, done));
                MaxInFlight = Math.Max(MaxInFlight, ++InFlight);
            }
            return done.Task;
        }

        /// <summary>Completes request <paramref name="index"/>: its buffer filled with its LBA's low byte.</summary>
        public void Complete(int index, ScsiStatus status = ScsiStatus.Good, int? bytes = null)
        {
            (ulong lba, int blocks, Memory<byte> buffer, TaskCompletionSource<ScsiResult> done) r;
            lock (Started)
            {
                r = Started[index];
                InFlight--;
            }
            r.buffer.Span.Fill((byte)r.lba);
            r.done.SetResult(new ScsiResult { Lun = 0, Cdb = new byte[10], Status = status, DataInLength = bytes ?? r.blocks * BlockSize });
        }
    }

    private static async Task WaitForStarted(ScriptedReads reads, int count)
    {
        for (int i = 0; i < 500; i++)
        {
            lock (reads.Started) if (reads.Started.Count >= count) return;
            await Task.Delay(10);
        }
        Assert.Fail($"Only {reads.Started.Count} of {count} reads started.");
    }

    [Fact]
    public async Task Chunks_reach_the_sink_in_lba_order_whatever_order_they_complete_in()
    {
        var reads = new ScriptedReads();
        var seen = new List<(ulong Lba, int Bytes, byte Fill)>();
        // 10 blocks in chunks of 3 (the last one short), at most 2 in flight.
        var run = PipelinedReader.ReadAsync(reads.Read, 100, 10, BlockSize, 3, 2, (lba, data, _) =>
        {
            seen.Add((lba, data.Length, data.Span[0]));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await WaitForStarted(reads, 2);
        reads.Complete(1);          // the second finishes first: nothing may reach the sink yet
        await Task.Delay(50);
        Assert.Empty(seen);
        reads.Complete(0);
        await WaitForStarted(reads, 4);
        reads.Complete(3);
        reads.Complete(2);
        await run;

        Assert.Equal([(100UL, 3 * BlockSize, (byte)100), (103UL, 3 * BlockSize, (byte)103), (106UL, 3 * BlockSize, (byte)106), (109UL, BlockSize, (byte)109)], seen);
        Assert.Equal(2, reads.MaxInFlight);
    }

    [Fact]
    public async Task A_failed_read_throws_after_every_started_read_has_finished()
    {
        var reads = new ScriptedReads();
        var run = PipelinedReader.ReadAsync(reads.Read, 0, 40, BlockSize, 4, 4, (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);
        await WaitForStarted(reads, 4);
        reads.Complete(0, ScsiStatus.CheckCondition);
        await Task.Delay(50);
        Assert.False(run.IsCompleted); // three reads are still filling their buffers
        reads.Complete(1);
        reads.Complete(2);
        reads.Complete(3);
        var error = await Assert.ThrowsAsync<ScsiCommandException>(() => run);
        Assert.Contains("LBA 0", error.Message);
        Assert.Equal(4, reads.Started.Count); // nothing new started after the failure
    }

    [Fact]
    public async Task A_short_read_with_good_status_is_an_error()
    {
        var reads = new ScriptedReads();
        var run = PipelinedReader.ReadAsync(reads.Read, 0, 4, BlockSize, 4, 1, (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);
        await WaitForStarted(reads, 1);
        reads.Complete(0, bytes: 3 * BlockSize);
        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => run);
        Assert.Equal("ShortRead", error.ErrorId);
    }

    [Theory]
    [InlineData(0, 4, 1, "BlockCountInvalid")]
    [InlineData(8, 0, 1, "ChunkBlocksInvalid")]
    [InlineData(8, 4, 0, "QueueDepthInvalid")]
    public async Task Bad_arguments_are_refused_by_name(long count, int chunk, int depth, string errorId)
    {
        var error = await Assert.ThrowsAsync<IscsiArgumentException>(() => PipelinedReader.ReadAsync(
            (_, _, _, _) => throw new InvalidOperationException("no read expected"), 0, count, BlockSize, chunk, depth,
            (_, _, _) => ValueTask.CompletedTask, CancellationToken.None));
        Assert.Equal(errorId, error.ErrorId);
    }
}
