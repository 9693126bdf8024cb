using System.Diagnostics;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Iscsi.Tests.Integration;

/// <summary>
/// The reliability soak: 16 threads mix verified reads and writes on ONE session to tgtd while a fault proxy breaks
/// the connection at random points (and, with digests on, flips bits in headers and data segments). The session
/// must reconnect and repeat what was in flight; at the end every acknowledged write is on the backing file, every
/// failure was reported to its caller, and no thread hangs. Bounded: ISCSI_SOAK_SECONDS (default 12) per variant.
/// The figures go to the test output (dotnet test --logger "console;verbosity=detailed").
/// </summary>
[Collection(TgtdCollection.Name)]
public sealed class SoakTests(TgtdTarget target, ITestOutputHelper output)
{
    // Blocks 110592..126975 of LUN 1 (8 MiB): 16 threads x 16 chunks x 64 blocks. No other test writes there.
    private const long FirstBlock = 110592;
    private const int Threads = 16, ChunksPerThread = 16, ChunkBlocks = 64;

    private static TimeSpan Duration => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("ISCSI_SOAK_SECONDS"), out int s) && s > 0 ? s : 12);

    [RequiresTgtdFact]
    public Task Random_connection_drops_lose_no_acknowledged_write() => SoakAsync(digests: false, seed: 7143);

    [RequiresTgtdFact]
    public Task Random_drops_and_bit_flips_with_digests_on_lose_no_acknowledged_write() => SoakAsync(digests: true, seed: 3720);

    private async Task SoakAsync(bool digests, int seed)
    {
        var lun = target.DiskLun1;
        await using var proxy = new FaultProxy(target.Host, target.Port, new FaultProxyOptions { HeaderDigest = digests, DataDigest = digests });
        // Every connection is broken somewhere in its first 1..24 MiB from the target (a fresh point per connection).
        proxy.Add(FaultRule.DropAtRandomPoint(ProxyDirection.TargetToInitiator, 1 << 20, 24 << 20, seed, repeating: true));
        var options = TargetSession.Fast();
        options.HeaderDigest = options.DataDigest = digests;
        options.ReconnectAttempts = 20;
        options.ReconnectTimeout = TimeSpan.FromSeconds(30);
        options.CommandTimeout = TimeSpan.FromSeconds(15);
        await using var session = await IscsiSession.ConnectAsync(proxy.Host, proxy.Port, lun.Iqn, options);
        Assert.Equal(digests, session.Negotiated.DataDigest);
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var started = Stopwatch.StartNew();
        session.StateChanged += (_, e) => timeline.Enqueue($"{started.Elapsed.TotalSeconds:0.000} {e.State} #{e.Attempt} {e.Message}");

        int chunkBytes = ChunkBlocks * lun.BlockSize;
        var known = new byte[Threads * ChunksPerThread][];   // last acknowledged content; null: unknown (a write failed)
        for (int chunk = 0; chunk < known.Length; chunk++)
        {
            known[chunk] = TargetSession.RandomBytes(chunkBytes, seed + chunk);
            TargetSession.WriteBackingFile(lun, ChunkOffset(chunk, lun), known[chunk]);
        }

        long reads = 0, writes = 0, failures = 0, flips = 0, mismatches = 0;
        var failureKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(Duration);
        var clock = Stopwatch.StartNew();

        // With digests on, a flipped bit in a Data-In segment must be caught by the data digest (the command is
        // repeated), one in a header by the header digest (the connection is dropped and the session reconnects).
        var flipper = digests ? Task.Run(async () =>
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                // Mostly data bits (each costs one repeated command); a header bit now and then (each costs a
                // reconnect, which waits DefaultTime2Wait, 2 s on tgtd).
                await Task.Delay(random.Next(100, 500));
                var rule = random.Next(8) == 0
                    ? FaultRule.FlipHeaderBit(ProxyDirection.TargetToInitiator, Iscsi.Pdu.Opcode.DataIn, 1, random.Next(16, 48), random.Next(8))
                    : FaultRule.FlipDataBit(ProxyDirection.TargetToInitiator, Iscsi.Pdu.Opcode.DataIn, 1, random.Next(0, 4096), random.Next(8));
                proxy.Add(rule);
                Interlocked.Increment(ref flips);
            }
        }) : Task.CompletedTask;

        var workers = Enumerable.Range(0, Threads).Select(thread => Task.Run(async () =>
        {
            var random = new Random(seed * 31 + thread);
            var buffer = new byte[chunkBytes];
            while (!stop.IsCancellationRequested)
            {
                int chunk = thread * ChunksPerThread + random.Next(ChunksPerThread);
                uint lba = (uint)(FirstBlock + (long)chunk * ChunkBlocks);
                bool write = random.Next(2) == 0;
                try
                {
                    if (write)
                    {
                        var data = new byte[chunkBytes];
                        random.NextBytes(data);
                        known[chunk] = null!; // in flight: until acknowledged, the chunk may hold either version
                        var result = await session.WriteBlocksAsync(lun.Number, lba, lun.BlockSize, data);
                        if (!result.IsGood) throw new Xunit.Sdk.XunitException($"write of chunk {chunk}: {result}");
                        known[chunk] = data;
                        Interlocked.Increment(ref writes);
                    }
                    else
                    {
                        var expected = known[chunk];
                        var result = await session.ReadBlocksAsync(lun.Number, lba, ChunkBlocks, lun.BlockSize, buffer);
                        if (!result.IsGood) throw new Xunit.Sdk.XunitException($"read of chunk {chunk}: {result}");
                        Interlocked.Increment(ref reads);
                        if (expected is not null && !buffer.AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref mismatches);
                    }
                }
                catch (IscsiException ex)
                {
                    // Reported to the caller: allowed, counted. The chunk stays unknown after a failed write.
                    Interlocked.Increment(ref failures);
                    failureKinds.AddOrUpdate(ex.ErrorId, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        var all = Task.WhenAll(workers.Append(flipper));
        var finished = await Task.WhenAny(all, Task.Delay(Duration + TimeSpan.FromSeconds(60)));
        Assert.True(finished == all, "a worker thread hung: it did not return within 60 s after the soak ended");
        await all;
        var elapsed = clock.Elapsed;

        // The session is usable afterwards, and every acknowledged write is on the disk.
        proxy.ClearFaults();
        await TargetSession.WaitUntilAsync(() => session.State == SessionState.LoggedIn, "the session is logged in after the soak", TimeSpan.FromSeconds(45));
        long lost = 0, unknown = 0;
        for (int chunk = 0; chunk < known.Length; chunk++)
        {
            if (known[chunk] is null) { unknown++; continue; }
            if (!known[chunk].AsSpan().SequenceEqual(TargetSession.ReadBackingFile(lun, ChunkOffset(chunk, lun), chunkBytes))) lost++;
        }
        var stats = session.Statistics;
        output.WriteLine(
            $"soak ({(digests ? "digests on, drops + bit flips" : "digests off, drops")}, {Threads} threads, {elapsed.TotalSeconds:0.0} s): " +
            $"{reads + writes} I/Os ({reads} verified reads, {writes} acknowledged writes), " +
            $"faults injected {proxy.FaultsInjected} ({flips} flip rules armed), connections {proxy.ConnectionsAccepted}, " +
            $"connection losses {stats.ConnectionLosses}, reconnects {stats.Reconnects}, commands repeated {stats.CommandsRepeated}, " +
            $"digest errors {stats.DigestErrors}, failures reported {failures} [{string.Join(", ", failureKinds.Select(k => $"{k.Key} {k.Value}"))}], " +
            $"chunks unknown after a failed write {unknown}, wrong data read {mismatches}, lost writes {lost}");

        foreach (var line in timeline) output.WriteLine(line);
        Assert.Equal(0, lost);
        Assert.Equal(0, mismatches);
        Assert.True(stats.Reconnects >= 1, $"the soak never broke a connection ({proxy.FaultsInjected} faults): lengthen ISCSI_SOAK_SECONDS");
        Assert.True(reads + writes > 50, $"only {reads + writes} I/Os completed");
    }

    private static long ChunkOffset(int chunk, TargetLun lun) => (FirstBlock + (long)chunk * ChunkBlocks) * lun.BlockSize;
}
