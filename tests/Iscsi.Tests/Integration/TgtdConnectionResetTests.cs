using System.Text.RegularExpressions;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>Reconnect against a real target: tgtd itself drops our connection (tgtadm --mode conn --op delete, what
/// an admin's "kick this initiator" does) while writes and reads are in flight. Every acknowledged write must be on
/// the backing file; nothing may fail, since reads and writes are safe to repeat.</summary>
[Collection(TgtdCollection.Name)]
public sealed partial class TgtdConnectionResetTests(TgtdTarget target)
{
    // The last 2 MiB of LUN 1: no other test writes there.
    private const long FirstBlock = 126976;
    private const int Blocks = 4096;
    private const int ChunkBlocks = 32;

    [RequiresTgtdFact]
    public async Task Writes_and_reads_in_flight_survive_the_target_dropping_the_connection_twice()
    {
        var lun = target.DiskLun1;
        string initiator = $"iqn.2026-11.test.iscsimodule:reset-{Guid.NewGuid():N}";
        var options = TargetSession.Fast();
        options.InitiatorName = initiator;
        options.ReconnectAttempts = 5;
        options.ReconnectTimeout = TimeSpan.FromSeconds(30);
        await using var session = await target.ConnectAsync(lun, options);
        var events = new List<SessionStateChangedEventArgs>();
        session.StateChanged += (_, e) => { lock (events) events.Add(e); };
        int chunks = Blocks / ChunkBlocks, chunkBytes = ChunkBlocks * lun.BlockSize;
        var expected = new byte[chunks][];

        // 8 writers, each owning every 8th chunk, write it, read it back and write it again with new data, while
        // the test makes tgtd drop the connection twice.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int completed = 0;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (int round = 0; round < 3; round++)
            {
                for (int chunk = worker; chunk < chunks; chunk += 8)
                {
                    var data = TargetSession.RandomBytes(chunkBytes, (round * 1000) + chunk);
                    uint lba = (uint)(FirstBlock + (chunk * ChunkBlocks));
                    // The extension methods, as a caller would use them: they also retry the UNIT ATTENTION a new I_T nexus reports.
                    var write = await session.WriteBlocksAsync(lun.Number, lba, lun.BlockSize, data, stop.Token);
                    Assert.True(write.IsGood, write.ToString());
                    expected[chunk] = data; // acknowledged: from now on it must be on the disk
                    var back = new byte[chunkBytes];
                    var read = await session.ReadBlocksAsync(lun.Number, lba, ChunkBlocks, lun.BlockSize, back, stop.Token);
                    Assert.True(read.IsGood, read.ToString());
                    Assert.Equal(data, back);
                    Interlocked.Increment(ref completed);
                }
            }
        })).ToArray();

        for (int drop = 0; drop < 2; drop++)
        {
            int before = Volatile.Read(ref completed);
            while (Volatile.Read(ref completed) < before + 40 && !workers.All(w => w.IsCompleted)) await Task.Delay(10);
            await DropOurConnectionAsync(initiator);
            await TargetSession.WaitUntilAsync(() => session.Statistics.Reconnects >= drop + 1, "the session reconnects", TimeSpan.FromSeconds(30));
        }
        await Task.WhenAll(workers);

        var stats = session.Statistics;
        Assert.Equal(2, stats.ConnectionLosses);
        Assert.Equal(2, stats.Reconnects);
        Assert.True(session.IsConnected);
        for (int chunk = 0; chunk < chunks; chunk++)
            Assert.True(expected[chunk].AsSpan().SequenceEqual(
                TargetSession.ReadBackingFile(lun, (FirstBlock + (chunk * ChunkBlocks)) * lun.BlockSize, chunkBytes)),
                $"chunk {chunk}: the backing file does not hold the last acknowledged write");
        lock (events)
        {
            Assert.Equal(2, events.Count(e => e.State == SessionState.LoggedIn));
            Assert.DoesNotContain(events, e => e.State == SessionState.Closed);
        }
    }

    /// <summary>Finds our I_T nexus by initiator name and deletes its connection: tgtd closes the socket.</summary>
    private async Task DropOurConnectionAsync(string initiator)
    {
        string control = target.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var show = await ProcessRunner.RunAsync("tgtadm", ["-C", control, "--lld", "iscsi", "--mode", "target", "--op", "show"]);
        Assert.True(show.Succeeded, show.Describe());
        var nexus = NexusOf().Matches(show.StandardOutput).FirstOrDefault(m => m.Groups["initiator"].Value == initiator)
            ?? throw new Xunit.Sdk.XunitException($"No I_T nexus of {initiator} in:\n{show.StandardOutput}");
        var delete = await ProcessRunner.RunAsync("tgtadm",
            ["-C", control, "--lld", "iscsi", "--mode", "conn", "--op", "delete", "--tid", "1", "--sid", nexus.Groups["sid"].Value, "--cid", "0"]);
        Assert.True(delete.Succeeded, delete.Describe());
    }

    [GeneratedRegex(@"I_T nexus: (?<sid>\d+)\s+Initiator: (?<initiator>\S+)")]
    private static partial Regex NexusOf();
}
