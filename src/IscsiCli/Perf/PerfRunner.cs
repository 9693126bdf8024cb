using System.Diagnostics;
using Iscsi.Scsi;
using Iscsi.Session;

namespace IscsiCli.Perf;

/// <summary>
/// iscsi-perf's workload on our engine: QueueDepth workers, each with one buffer of its own (reads land in
/// it directly: the zero-copy path), issuing back-to-back reads or writes, sequential (a shared cursor)
/// or random (block-aligned), for a fixed time. A warm-up second is run first and not counted, so that
/// JIT and pool growth do not count as steady state.
/// </summary>
public sealed class PerfRunner
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private readonly IscsiSession _session;
    private readonly int _lun;
    private readonly int _blockSize;
    private readonly ulong _blockCount;
    private readonly PerfOptions _options;
    private long _cursor;

    public PerfRunner(IscsiSession session, int lun, ReadCapacityData capacity, PerfOptions options)
    {
        _session = session;
        _lun = lun;
        _blockSize = capacity.BlockSize;
        _blockCount = capacity.BlockCount;
        _options = options;
        if ((ulong)options.BlocksPerRequest > _blockCount)
            throw new Iscsi.IscsiArgumentException("BlockCountInvalid",
                $"-b {options.BlocksPerRequest} is more than the LUN's {_blockCount} blocks.");
    }

    public event Action<string>? Progress;

    public async Task<PerfResult> RunAsync(CancellationToken cancellationToken)
    {
        var buffers = Enumerable.Range(0, _options.QueueDepth)
            .Select(i => GC.AllocateUninitializedArray<byte>(_options.BlocksPerRequest * _blockSize, pinned: true)).ToArray();
        foreach (var b in buffers) Random.Shared.NextBytes(b);

        await RunPhaseAsync(buffers, WarmUp, null, cancellationToken).ConfigureAwait(false);

        var recorders = buffers.Select(_ => new LatencyRecorder()).ToArray();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var statsBefore = _session.Statistics;
        var clock = Stopwatch.StartNew();
        long errors = await RunPhaseAsync(buffers, _options.Duration, recorders, cancellationToken).ConfigureAwait(false);
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var statsAfter = _session.Statistics;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var all = new LatencyRecorder();
        foreach (var r in recorders) all.Merge(r);
        return new PerfResult
        {
            IoCount = all.Count,
            Bytes = all.Count * _options.BlocksPerRequest * (long)_blockSize,
            Elapsed = clock.Elapsed,
            P50Microseconds = all.Percentile(0.50),
            P99Microseconds = all.Percentile(0.99),
            CpuSeconds = cpu.TotalSeconds,
            AllocatedBytes = allocated,
            Errors = errors,
            PdusReceived = statsAfter.PdusReceived - statsBefore.PdusReceived,
            PdusSent = statsAfter.PdusSent - statsBefore.PdusSent,
        };
    }

    private async Task<long> RunPhaseAsync(byte[][] buffers, TimeSpan duration, LatencyRecorder[]? recorders, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        long errors = 0;
        var workers = new Task[buffers.Length];
        for (int i = 0; i < buffers.Length; i++)
        {
            int worker = i;
            workers[i] = Task.Run(async () =>
            {
                var random = new Random(worker * 7919 + 17);
                var buffer = buffers[worker];
                var recorder = recorders?[worker];
                // One channel per worker: the engine's allocation-free path (a reused command state, ValueTask results).
                var channel = new BlockIoChannel(_session, _lun, _blockSize);
                while (!stop.IsCancellationRequested)
                {
                    ulong lba = NextLba(random);
                    long start = Stopwatch.GetTimestamp();
                    // The stop token is deliberately not passed down: an I/O in flight finishes rather than being aborted.
                    var result = _options.Write
                        ? await channel.WriteAsync(lba, buffer, CancellationToken.None).ConfigureAwait(false)
                        : await channel.ReadAsync(lba, _options.BlocksPerRequest, buffer, CancellationToken.None).ConfigureAwait(false);
                    if (!result.IsGood) Interlocked.Increment(ref errors);
                    recorder?.Record((Stopwatch.GetTimestamp() - start) * 1_000_000 / Stopwatch.Frequency);
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        Progress?.Invoke(recorders is null ? "warm-up done" : "measured");
        return errors;
    }

    private ulong NextLba(Random random)
    {
        ulong span = _blockCount - (ulong)_options.BlocksPerRequest + 1;
        if (_options.Random)
        {
            ulong slots = span / (ulong)_options.BlocksPerRequest;
            return slots == 0 ? 0 : (ulong)random.NextInt64((long)Math.Min(slots, long.MaxValue)) * (ulong)_options.BlocksPerRequest;
        }
        ulong next = (ulong)Interlocked.Add(ref _cursor, _options.BlocksPerRequest) - (ulong)_options.BlocksPerRequest;
        return next % span;
    }
}
