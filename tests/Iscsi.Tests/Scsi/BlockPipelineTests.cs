using Iscsi.Scsi;

namespace Iscsi.Tests.Scsi;

/// <summary>The one block pipeline (Read-/Write-IscsiBlock, iscsi read/write): in LBA order whatever order requests
/// complete in, bounded, never leaving a buffer being filled, and saying how far a cut-short transfer got. Pure logic:
/// the requests are tasks the test completes in whatever order it likes.</summary>
public sealed class BlockPipelineTests
{
    private const int BlockSize = 512;

    private sealed class ScriptedRequests
    {
        public readonly List<(BlockRequest Request, TaskCompletionSource<ScsiResult> Done)> Started = [];
        public int InFlight, MaxInFlight;

        public Task<ScsiResult> Start(BlockRequest request, int _)
        {
            var done = new TaskCompletionSource<ScsiResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Started)
            {
                Started.Add((request, done));
                MaxInFlight = Math.Max(MaxInFlight, ++InFlight);
            }
            return done.Task;
        }

        public void Complete(int index, ScsiStatus status = ScsiStatus.Good)
        {
            TaskCompletionSource<ScsiResult> done;
            lock (Started)
            {
                done = Started[index].Done;
                InFlight--;
            }
            done.SetResult(new ScsiResult { Lun = 0, Cdb = new byte[10], Status = status });
        }

        public void Fail(int index)
        {
            TaskCompletionSource<ScsiResult> done;
            lock (Started)
            {
                done = Started[index].Done;
                InFlight--;
            }
            done.SetException(new IscsiConnectionException("lost", "ConnectionLost"));
        }

        public async Task WaitForStarted(int count)
        {
            for (int i = 0; i < 500; i++)
            {
                lock (Started) if (Started.Count >= count) return;
                await Task.Delay(10);
            }
            Assert.Fail($"Only {Started.Count} of {count} requests started.");
        }
    }

    private static ValueTask Ensure(ScsiResult result)
        => result.IsGood ? ValueTask.CompletedTask : throw new ScsiCommandException(result, "refused");

    [Fact]
    public async Task Requests_complete_in_lba_order_whatever_order_they_finish_in()
    {
        var requests = new ScriptedRequests();
        var seen = new List<BlockRequest>();
        // 10 blocks in requests of 3 (the last one short), at most 2 in flight.
        var pipeline = new BlockPipeline(BlockTransferKind.Read, 100, 10, BlockSize, 3, 2, "LUN 1");
        var run = pipeline.RunAsync(requests.Start, (r, _, result) => { seen.Add(r); return Ensure(result); }, CancellationToken.None);

        await requests.WaitForStarted(2);
        requests.Complete(1); // the second finishes first: nothing may be handed on yet
        await Task.Delay(50);
        Assert.Empty(seen);
        requests.Complete(0);
        await requests.WaitForStarted(4);
        requests.Complete(3);
        requests.Complete(2);
        await run;

        Assert.Equal([(100UL, 3u, 0L), (103UL, 3u, 1536L), (106UL, 3u, 3072L), (109UL, 1u, 4608L)], seen.Select(r => (r.Lba, r.Blocks, r.Offset)));
        Assert.Equal(2, requests.MaxInFlight);
        Assert.Equal(10UL * BlockSize, pipeline.BytesDoneInOrder);
    }

    [Fact]
    public async Task A_failure_waits_for_every_started_request_and_says_what_was_written_unknown_and_not_sent()
    {
        var requests = new ScriptedRequests();
        // 48 blocks in requests of 8, 4 in flight: requests 0 and 1 done, 2 fails, 3 acknowledged late, 4 lost, 5 never sent.
        var pipeline = new BlockPipeline(BlockTransferKind.Write, 0, 48, BlockSize, 8, 4, "LUN 1 of iqn.test");
        var run = pipeline.RunAsync(requests.Start, (_, _, result) => Ensure(result), CancellationToken.None);
        await requests.WaitForStarted(4);
        requests.Complete(0);
        requests.Complete(1);
        await requests.WaitForStarted(6);
        requests.Complete(2, ScsiStatus.CheckCondition);
        await Task.Delay(50);
        Assert.False(run.IsCompleted); // requests 3..5 are still in flight
        requests.Complete(3);
        requests.Fail(4);
        requests.Complete(5);

        var error = await Assert.ThrowsAsync<BlockTransferFailedException>(() => run);

        Assert.Equal("ScsiStatus.CheckCondition", error.ErrorId); // the cause's id
        Assert.IsType<ScsiCommandException>(error.InnerException);
        Assert.Equal(16UL * BlockSize, error.BytesCompleted);
        Assert.EndsWith("So far: LBA 0-15 written, LBA 16-23 unknown (in flight: they may or may not be on the disk), LBA 24-31 written, " +
            "LBA 32-39 unknown (in flight: they may or may not be on the disk), LBA 40-47 written.", error.Message);
        Assert.Equal(6, requests.Started.Count); // nothing new started after the failure
    }

    [Fact]
    public async Task A_stopped_read_to_a_file_says_what_the_file_keeps()
    {
        var requests = new ScriptedRequests();
        using var stop = new CancellationTokenSource();
        var pipeline = new BlockPipeline(BlockTransferKind.Read, 1000, 64, BlockSize, 16, 2, "LUN 2 of iqn.test", "/tmp/x.img");
        var run = pipeline.RunAsync(requests.Start, (_, _, result) => Ensure(result), stop.Token);
        await requests.WaitForStarted(2);
        requests.Complete(0);
        await requests.WaitForStarted(3);
        stop.Cancel();
        requests.Complete(1);
        requests.Complete(2);

        var error = await Assert.ThrowsAsync<BlockTransferStoppedException>(() => run);

        Assert.Equal("TransferStopped", error.ErrorId);
        // What was in flight when the stop came still arrived and was handed on in order; nothing new was started.
        Assert.Equal("The read on LUN 2 of iqn.test was stopped: LBA 1000-1047 read, LBA 1048-1063 not read; /tmp/x.img keeps the first 24576 bytes (48 blocks).",
            error.Message);
        Assert.Equal(3, requests.Started.Count);
    }

    [Fact]
    public async Task A_single_request_fails_with_its_own_error()
    {
        var requests = new ScriptedRequests();
        var pipeline = new BlockPipeline(BlockTransferKind.Write, 0, 4, BlockSize, 8, 4, "LUN 1");
        var run = pipeline.RunAsync(requests.Start, (_, _, result) => Ensure(result), CancellationToken.None);
        await requests.WaitForStarted(1);
        requests.Complete(0, ScsiStatus.CheckCondition);
        await Assert.ThrowsAsync<ScsiCommandException>(() => run);
    }

    [Fact]
    public void A_billion_blocks_cost_no_list_of_requests()
    {
        var pipeline = new BlockPipeline(BlockTransferKind.Read, 0, 1UL << 40, 4096, 256, 8, "LUN 1");
        Assert.Equal(1L << 32, pipeline.RequestCount);
        var last = pipeline.Request(pipeline.RequestCount - 1);
        Assert.Equal(((1UL << 40) - 256, 256u), (last.Lba, last.Blocks));
        Assert.Equal(8, pipeline.Depth);
    }

    [Theory]
    [InlineData(0UL, 4u, 1, "BlockCountInvalid")]
    [InlineData(8UL, 0u, 1, "ChunkBlocksInvalid")]
    [InlineData(8UL, 4u, 0, "QueueDepthInvalid")]
    public void Bad_arguments_are_refused_by_name(ulong blocks, uint perRequest, int depth, string errorId)
        => Assert.Equal(errorId, Assert.Throws<IscsiArgumentException>(() => new BlockPipeline(BlockTransferKind.Read, 0, blocks, BlockSize, perRequest, depth, "LUN 1")).ErrorId);
}
