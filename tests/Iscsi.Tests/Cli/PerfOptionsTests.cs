using Iscsi;
using IscsiCli.Perf;

namespace Iscsi.Tests.Cli;

/// <summary>`iscsi perf`'s floating-point options: values TimeSpan cannot hold (NaN, infinities, huge numbers) and
/// values out of range are refused with the option's ErrorId and the value in the message, before any TimeSpan is
/// made (TimeSpan's own errors name neither).</summary>
public sealed class PerfOptionsTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86401)]
    [InlineData(1e300)]
    public void A_duration_outside_0_to_86400_seconds_is_refused_by_name(double seconds)
    {
        var error = Assert.Throws<IscsiArgumentException>(() => PerfOptions.DurationFrom(seconds));
        Assert.Equal("DurationInvalid", error.ErrorId);
        Assert.Contains($"-t {seconds} ", error.Message); // as the current culture writes it
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.5)]
    [InlineData(10_000.5)]
    public void A_receive_spin_outside_0_to_10000_microseconds_is_refused_by_name(double microseconds)
    {
        var error = Assert.Throws<IscsiArgumentException>(() => PerfOptions.ReceiveSpinFrom(microseconds));
        Assert.Equal("ReceiveSpinInvalid", error.ErrorId);
        Assert.Contains($"--receive-spin {microseconds} ", error.Message);
    }

    [Fact]
    public void Values_in_range_become_exactly_that_span()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(2500), PerfOptions.DurationFrom(2.5));
        Assert.Equal(TimeSpan.FromDays(1), PerfOptions.DurationFrom(86400));
        Assert.Equal(TimeSpan.FromMicroseconds(50), PerfOptions.ReceiveSpinFrom(50));
        Assert.Equal(TimeSpan.Zero, PerfOptions.ReceiveSpinFrom(0));
        Assert.Equal(TimeSpan.FromMilliseconds(10), PerfOptions.ReceiveSpinFrom(10_000));
    }
}
