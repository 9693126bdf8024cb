using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

public class ScsiResponseDataTests
{
    [Fact]
    public void Sense_then_response_data()
    {
        var segment = Hex("00 03  70 00 05  de ad");
        Assert.True(ScsiResponseData.TryParse(segment, out var sense, out var response));
        Assert.Equal(Hex("70 00 05"), sense.ToArray());
        Assert.Equal(Hex("de ad"), response.ToArray());
    }

    [Fact]
    public void Sense_filling_the_whole_segment()
    {
        Assert.True(ScsiResponseData.TryParse(Hex("00 02 70 00"), out var sense, out var response));
        Assert.Equal(2, sense.Length);
        Assert.True(response.IsEmpty);
    }

    [Fact]
    public void Empty_segment_has_no_sense()
    {
        Assert.True(ScsiResponseData.TryParse([], out var sense, out var response));
        Assert.True(sense.IsEmpty);
        Assert.True(response.IsEmpty);
    }

    [Fact]
    public void Zero_sense_length_leaves_only_response_data()
    {
        Assert.True(ScsiResponseData.TryParse(Hex("00 00 01 02"), out var sense, out var response));
        Assert.True(sense.IsEmpty);
        Assert.Equal(2, response.Length);
    }

    [Theory]
    [InlineData("00")]                 // SenseLength itself cut off
    [InlineData("00 03 70 00")]        // one byte short
    [InlineData("ff ff 70 00 00 00")]  // hostile length
    public void Sense_length_past_the_segment_is_refused(string hex)
    {
        Assert.False(ScsiResponseData.TryParse(Hex(hex), out _, out _));
        var ex = Assert.Throws<IscsiProtocolException>(() => ScsiResponseData.Parse(Hex(hex), out _, out _));
        Assert.Equal("SenseLengthInvalid", ex.ErrorId);
    }

    [Fact]
    public void Write_lays_out_sense_length_sense_and_response_data()
    {
        var dest = new byte[8];
        int written = ScsiResponseData.Write(dest, Hex("70 00 06"), Hex("01"));
        Assert.Equal(6, written);
        Assert.Equal(Hex("00 03 70 00 06 01 00 00"), dest);
    }
}
