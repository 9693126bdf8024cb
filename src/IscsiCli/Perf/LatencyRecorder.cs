namespace IscsiCli.Perf;

/// <summary>
/// Latency histogram with fixed memory: buckets of 1 µs below 1 ms, then logarithmic (about 1.5% wide)
/// up to ~100 s. Recording is a few arithmetic operations and one increment: nothing allocated per I/O.
/// One recorder per worker (no sharing), merged at the end.
/// </summary>
public sealed class LatencyRecorder
{
    private const int LinearBuckets = 1000;      // 0..999 µs, 1 µs each
    private const double LogBase = 1.015;
    private const int LogBuckets = 1000;         // 1 ms * 1.015^1000 ≈ 3 million ms
    private readonly long[] _counts = new long[LinearBuckets + LogBuckets];

    public long Count { get; private set; }

    public void Record(double microseconds)
    {
        Count++;
        _counts[BucketOf(microseconds)]++;
    }

    public void Merge(LatencyRecorder other)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>The latency (µs, bucket upper bound) below which <paramref name="fraction"/> of samples fall.</summary>
    public double Percentile(double fraction)
    {
        if (Count == 0) return 0;
        long rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return UpperBound(i);
        }
        return UpperBound(_counts.Length - 1);
    }

    private static int BucketOf(double us)
    {
        if (us < LinearBuckets) return Math.Max(0, (int)us);
        int log = (int)(Math.Log(us / LinearBuckets) / Math.Log(LogBase));
        return LinearBuckets + Math.Min(log, LogBuckets - 1);
    }

    private static double UpperBound(int bucket)
        => bucket < LinearBuckets ? bucket + 1 : LinearBuckets * Math.Pow(LogBase, bucket - LinearBuckets + 1);
}
