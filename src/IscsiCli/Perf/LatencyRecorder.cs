using System.Numerics;

namespace IscsiCli.Perf;

/// <summary>
/// Latency histogram with fixed memory: buckets of 1 µs below 1024 µs, then 64 buckets per power of two
/// (about 1.6% wide) up to 2^31 µs (about 36 minutes). Recording is integer arithmetic and one increment:
/// nothing allocated and no logarithm per I/O (Math.Log was the benchmark's own top frame in a profile).
/// One recorder per worker (no sharing), merged at the end.
/// </summary>
public sealed class LatencyRecorder
{
    private const int LinearBuckets = 1024;    // 0..1023 µs, 1 µs each
    private const int LinearBits = 10;         // log2(LinearBuckets)
    private const int SubBucketBits = 6;       // 64 buckets per octave above that
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxBits = 31;            // 2^31 µs; anything longer lands in the last bucket
    private readonly long[] _counts = new long[LinearBuckets + (MaxBits - LinearBits) * SubBuckets];

    public long Count { get; private set; }

    public void Record(double microseconds) => Record((long)microseconds);

    public void Record(long microseconds)
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
        long rank = Math.Max(1, (long)Math.Ceiling(fraction * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return UpperBound(i);
        }
        return UpperBound(_counts.Length - 1);
    }

    internal static int BucketOf(long us)
    {
        if (us < LinearBuckets) return (int)Math.Max(0, us);
        int octave = BitOperations.Log2((ulong)us);               // LinearBits and up
        if (octave >= MaxBits) return LinearBuckets + (MaxBits - LinearBits) * SubBuckets - 1;
        int sub = (int)(us >> (octave - SubBucketBits)) & (SubBuckets - 1); // the 6 bits after the leading one
        return LinearBuckets + (octave - LinearBits) * SubBuckets + sub;
    }

    internal static double UpperBound(int bucket)
    {
        if (bucket < LinearBuckets) return bucket + 1;
        int octave = (bucket - LinearBuckets) / SubBuckets + LinearBits;
        int sub = (bucket - LinearBuckets) % SubBuckets;
        return (double)((long)(SubBuckets + sub + 1) << (octave - SubBucketBits));
    }
}
