using Iscsi.Scsi;
using Iscsi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Iscsi.Tests.Integration;

/// <summary>The allocation claim of issue 4 as a test: BlockIoChannel reads and writes allocate no managed memory per
/// I/O once warmed up. Whole-process allocation is the only honest figure (continuations run on pool threads), so
/// this collection runs alone (no other test allocating meanwhile) against a tgtd of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection : ICollectionFixture<TgtdTarget>
{
    public const string Name = "allocation (runs alone)";
}

[Collection(AllocationCollection.Name)]
public sealed class BlockIoAllocationTests(TgtdTarget target, ITestOutputHelper output)
{
    // The old Task-based path allocated ~720 bytes per I/O. A few bytes per I/O of slack cover the test host's
    // own background work (timers, the runner's reporting) over the measured span; one allocation per I/O
    // (the smallest object is 24 bytes) would exceed it, and 48000 I/Os dilute a one-off 256 KiB buffer to 5.5 bytes.
    private const double BytesPerIoBound = 16;
    private const int QueueDepth = 8, IosPerChannel = 6000;

    [AllocationTheory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Steady_state_block_io_allocates_nothing_per_io(bool write, bool inlineCompletions)
    {
        var lun = target.DiskNullLun2;
        var options = TargetSession.Fast();
        options.InlineCompletions = inlineCompletions;
        await using var session = await target.ConnectDiskAsync(options);
        var channels = Enumerable.Range(0, QueueDepth).Select(_ => new BlockIoChannel(session, lun.Number, lun.BlockSize)).ToArray();
        var buffers = Enumerable.Range(0, QueueDepth).Select(_ => new byte[8 * lun.BlockSize]).ToArray();

        async Task<int> RunAsync(int iosPerChannel)
        {
            var workers = new Task<int>[QueueDepth];
            for (int w = 0; w < QueueDepth; w++)
            {
                var channel = channels[w];
                var buffer = buffers[w];
                ulong lba = (ulong)w * 4096;
                workers[w] = Task.Run(async () =>
                {
                    int bad = 0;
                    for (int i = 0; i < iosPerChannel; i++)
                    {
                        var result = write
                            ? await channel.WriteAsync(lba + (ulong)(i % 512) * 8, buffer).ConfigureAwait(false)
                            : await channel.ReadAsync(lba + (ulong)(i % 512) * 8, 8, buffer).ConfigureAwait(false);
                        if (!result.IsGood) bad++;
                    }
                    return bad;
                });
            }
            return (await Task.WhenAll(workers)).Sum();
        }

        await RunAsync(300); // warm-up: JIT, the session's buffers and pools, the thread pool's threads
        var statsBefore = session.Statistics;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int failures = await RunAsync(IosPerChannel);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var statsAfter = session.Statistics;

        Assert.Equal(0, failures);
        double perIo = (double)allocated / (QueueDepth * IosPerChannel);
        string figure = $"{perIo:0.0} bytes allocated per {(write ? "write" : "read")} ({allocated} bytes over {QueueDepth * IosPerChannel} I/Os; " +
            $"{statsAfter.PdusSent - statsBefore.PdusSent} PDUs sent, {statsAfter.PdusReceived - statsBefore.PdusReceived} received)";
        output.WriteLine(figure);
        Assert.True(perIo < BytesPerIoBound, $"{figure}; bound {BytesPerIoBound}");
    }
}
