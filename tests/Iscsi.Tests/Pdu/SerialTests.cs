using Iscsi.Pdu;

namespace Iscsi.Tests.Pdu;

/// <summary>RFC 1982 comparisons with SERIAL_BITS = 32.</summary>
public class SerialTests
{
    [Theory]
    [InlineData(0u, 1u)]
    [InlineData(0xFFFFFFFFu, 0u)]            // wrap: 0 comes right after 0xFFFFFFFF
    [InlineData(0xFFFFFFF0u, 0x10u)]
    [InlineData(0u, 0x7FFFFFFFu)]            // furthest "ahead" that still counts
    [InlineData(0x80000000u, 0xFFFFFFFFu)]
    public void Less_than(uint a, uint b)
    {
        Assert.True(Serial.LessThan(a, b));
        Assert.False(Serial.LessThan(b, a));
        Assert.True(Serial.GreaterThan(b, a));
        Assert.False(Serial.GreaterThan(a, b));
        Assert.True(Serial.LessOrEqual(a, b));
        Assert.False(Serial.LessOrEqual(b, a));
        Assert.True(Serial.GreaterOrEqual(b, a));
    }

    [Fact]
    public void Equal_numbers()
    {
        Assert.False(Serial.LessThan(5, 5));
        Assert.False(Serial.GreaterThan(5, 5));
        Assert.True(Serial.LessOrEqual(5, 5));
        Assert.True(Serial.GreaterOrEqual(5, 5));
    }

    [Fact]
    public void Beyond_half_the_range_the_order_flips()
    {
        // 0x80000001 ahead of 0 is really 0x7FFFFFFF behind it.
        Assert.True(Serial.LessThan(0x80000001, 0));
        Assert.False(Serial.LessThan(0, 0x80000001));
    }

    [Theory]
    [InlineData(0u, 0x80000000u)]
    [InlineData(0x12345678u, 0x92345678u)]
    public void Exactly_two_to_the_31_apart_is_unordered(uint a, uint b)
    {
        Assert.False(Serial.LessThan(a, b));
        Assert.False(Serial.LessThan(b, a));
        Assert.False(Serial.GreaterThan(a, b));
        Assert.False(Serial.LessOrEqual(a, b));
        Assert.False(Serial.GreaterOrEqual(a, b));
    }

    [Theory]
    [InlineData(10u, 10u, 20u, true)]
    [InlineData(20u, 10u, 20u, true)]
    [InlineData(21u, 10u, 20u, false)]
    [InlineData(9u, 10u, 20u, false)]
    [InlineData(10u, 10u, 10u, true)]                    // window of one
    [InlineData(10u, 10u, 9u, false)]                    // MaxCmdSN = ExpCmdSN - 1: closed
    [InlineData(0u, 0u, 0xFFFFFFFFu, false)]             // closed, across the wrap
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFEu, 1u, true)]     // window spans the wrap
    [InlineData(0u, 0xFFFFFFFEu, 1u, true)]
    [InlineData(1u, 0xFFFFFFFEu, 1u, true)]
    [InlineData(2u, 0xFFFFFFFEu, 1u, false)]
    [InlineData(0xFFFFFFFDu, 0xFFFFFFFEu, 1u, false)]
    [InlineData(5u, 10u, 5u, false)]                     // MaxCmdSN far behind ExpCmdSN: invalid, nothing fits
    public void Command_window(uint sn, uint expCmdSn, uint maxCmdSn, bool fits)
    {
        Assert.Equal(fits, Serial.InWindow(sn, expCmdSn, maxCmdSn));
    }
}
