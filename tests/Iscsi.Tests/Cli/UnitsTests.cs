using IscsiCli;

namespace Iscsi.Tests.Cli;

public sealed class UnitsTests
{
    [Theory]
    [InlineData(65536, 0.2, "0.328 MB/s")]       // a 64 KiB read on a slow path: was "0 MB/s"
    [InlineData(65536, 0.003, "21.8 MB/s")]
    [InlineData(512, 2.0, "0.000256 MB/s")]
    [InlineData(9_996_000, 1.0, "10.0 MB/s")]     // rounds up into the next magnitude: three digits, not "10.00"
    [InlineData(999_600, 1.0, "1.00 MB/s")]
    [InlineData(99_960_000, 1.0, "100 MB/s")]
    [InlineData(1_321_400_000, 1.0, "1321 MB/s")] // large rates stay whole, as bench/copy.sh reads them
    [InlineData(100, 0.0, "100 MB/s")]            // a clock that did not move: a number, not infinity
    [InlineData(0, 1.0, "0 MB/s")]
    public void A_rate_keeps_three_significant_digits(long bytes, double seconds, string expected)
        => Assert.Equal(expected, Units.MegabytesPerSecond(bytes, TimeSpan.FromSeconds(seconds)));
}
