using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

public class AhsReaderTests
{
    [Fact]
    public void Empty_area_is_valid()
    {
        Assert.True(AhsReader.TryValidate([], out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Bidirectional_read_length_ahs_is_valid()
    {
        // AHSLength 5 (reserved byte + 4-byte length), type 2: exactly 8 bytes, no padding.
        Assert.True(AhsReader.TryValidate(Hex("00 05 02 00  00 01 00 00"), out var error), error);
    }

    [Fact]
    public void Extended_cdb_ahs_with_padding_followed_by_another_ahs_is_valid()
    {
        // Extended CDB for a 32-byte CDB: AHSLength 17 (reserved + 16 CDB bytes), 3 + 17 = 20 bytes, no pad;
        // then an AHS with AHSLength 2: 5 bytes padded to 8.
        var area = Hex("""
            00 11 01 00   01 02 03 04   05 06 07 08   09 0a 0b 0c   0d 0e 0f 10
            00 02 02 00   aa 00 00 00
            """);
        Assert.True(AhsReader.TryValidate(area, out var error), error);
        AhsReader.Validate(area);
    }

    [Fact]
    public void Ahs_whose_length_overruns_the_area_is_rejected()
    {
        // AHSLength 9 needs 12 bytes; the area is 8.
        Assert.False(AhsReader.TryValidate(Hex("00 09 01 00  00 00 00 00"), out var error));
        Assert.Contains("AHSLength 9", error);
        Assert.Contains("offset 0", error);
    }

    [Fact]
    public void Second_ahs_overrunning_is_rejected_and_named()
    {
        Assert.False(AhsReader.TryValidate(Hex("00 01 02 00  ff ff 01 00"), out var error));
        Assert.Contains("#1", error);
        Assert.Contains("65535", error);
    }

    [Fact]
    public void Area_not_a_multiple_of_four_is_rejected()
    {
        Assert.False(AhsReader.TryValidate(Hex("00 01 02 00 00"), out var error));
        Assert.Contains("5 bytes", error);
    }

    [Fact]
    public void Validate_throws_a_protocol_exception()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => AhsReader.Validate(Hex("01 00 01 00")));
        Assert.Equal("AhsMalformed", ex.ErrorId);
        Assert.Contains("AHSLength 256", ex.Message);
    }
}
