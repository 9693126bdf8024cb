using System.Globalization;

namespace IscsiCli.Perf;

/// <summary>What one run measured.</summary>
public sealed class PerfResult
{
    public required long IoCount { get; init; }
    public required long Bytes { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required double P50Microseconds { get; init; }
    public required double P99Microseconds { get; init; }
    public required double CpuSeconds { get; init; }
    public required long AllocatedBytes { get; init; }
    public long Errors { get; init; }
    public long PdusReceived { get; init; }
    public long PdusSent { get; init; }

    public double Iops => IoCount / Elapsed.TotalSeconds;
    public double MegabytesPerSecond => Bytes / Elapsed.TotalSeconds / 1e6;
    public double CpuSecondsPerGiB => Bytes == 0 ? 0 : CpuSeconds / (Bytes / (double)(1L << 30));
    public double CpuSecondsPer1000Ios => IoCount == 0 ? 0 : CpuSeconds / IoCount * 1000;
    public double AllocatedBytesPerIo => IoCount == 0 ? 0 : AllocatedBytes / (double)IoCount;

    /// <summary>iscsi-perf's summary line first (so scripts can parse both tools alike), then ours.</summary>
    public IEnumerable<string> Lines()
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Format(c, "iops average {0:0} ({1:0} MB/s)", Iops, MegabytesPerSecond);
        yield return string.Format(c, "latency p50 {0:0.0} us, p99 {1:0.0} us", P50Microseconds, P99Microseconds);
        yield return string.Format(c, "cpu {0:0.000} s (user+sys): {1:0.000} s/GiB, {2:0.0000} s/1000 I/Os", CpuSeconds, CpuSecondsPerGiB, CpuSecondsPer1000Ios);
        yield return string.Format(c, "allocated {0:0.0} bytes/I/O (managed, whole process, steady state)", AllocatedBytesPerIo);
        if (IoCount > 0)
            yield return string.Format(c, "pdus per I/O: {0:0.0} received, {1:0.0} sent", PdusReceived / (double)IoCount, PdusSent / (double)IoCount);
        if (Errors > 0) yield return string.Format(c, "errors {0}", Errors);
    }
}
