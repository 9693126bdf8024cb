using IscsiCli.Perf;

namespace Iscsi.Tests.Cli;

public sealed class LatencyRecorderTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(999L)]
    [InlineData(1023L)]
    [InlineData(1024L)]
    [InlineData(1500L)]
    [InlineData(65_535L)]
    [InlineData(3_000_000L)]
    [InlineData(2_000_000_000L)]
    public void A_sample_lies_in_a_bucket_at_most_1_6_percent_above_it(long us)
    {
        double upper = LatencyRecorder.UpperBound(LatencyRecorder.BucketOf(us));
        Assert.True(upper > us, $"{us} µs: bucket upper bound {upper}");
        Assert.True(upper <= Math.Max(us + 1, us * (1 + 1.0 / 64) + 1), $"{us} µs: bucket upper bound {upper} is too coarse");
    }

    [Fact]
    public void Buckets_grow_with_the_latency()
    {
        int previous = -1;
        for (long us = 0; us < 5_000_000; us = us < 2048 ? us + 1 : us + us / 97)
        {
            int bucket = LatencyRecorder.BucketOf(us);
            Assert.True(bucket >= previous, $"{us} µs went to bucket {bucket}, below {previous}");
            previous = bucket;
        }
    }

    [Fact]
    public void Percentiles_of_merged_recorders()
    {
        var a = new LatencyRecorder();
        var b = new LatencyRecorder();
        for (int i = 1; i <= 98; i++) a.Record(100L);
        b.Record(5000L);
        b.Record(40_000L);
        a.Merge(b);
        Assert.Equal(100, a.Count);
        Assert.Equal(101, a.Percentile(0.50));
        Assert.InRange(a.Percentile(0.99), 5000, 5000 * 1.016);
        Assert.InRange(a.Percentile(1.0), 40_000, 40_000 * 1.016);
        Assert.Equal(0, new LatencyRecorder().Percentile(0.5));
    }
}
