using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

public class BhsTests
{
    // I bit set, opcode 0x01, F bit set, TotalAHSLength 3 words, DataSegmentLength 0x0a0b0c, LUN, ITT 0xcafef00d.
    private static readonly byte[] Header = Hex("""
        41 80 00 00   03 0a 0b 0c
        00 05 00 00   00 00 00 00
        ca fe f0 0d   00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    [Fact]
    public void Common_fields_are_read_from_their_rfc_offsets()
    {
        Assert.Equal(Opcode.ScsiCommand, Bhs.GetOpcode(Header));
        Assert.True(Bhs.IsImmediate(Header));
        Assert.True(Bhs.IsFinal(Header));
        Assert.Equal(12, Bhs.GetTotalAhsLength(Header));
        Assert.Equal(0x0a0b0c, Bhs.GetDataSegmentLength(Header));
        Assert.Equal(0xCAFEF00Du, Bhs.GetInitiatorTaskTag(Header));
        Assert.Equal(0x0005_0000_0000_0000UL, Bhs.GetLun(Header));
    }

    [Fact]
    public void Opcode_ignores_the_two_top_bits()
    {
        var bhs = new byte[48];
        bhs[0] = 0xE5;   // reserved bit, I bit, opcode 0x25
        Assert.Equal(Opcode.DataIn, Bhs.GetOpcode(bhs));
        Assert.False(Bhs.IsFinal(bhs));
    }

    [Fact]
    public void Offsets_match_the_rfc_diagram()
    {
        Assert.Equal((48, 0, 1, 4, 5, 8, 16), (Bhs.Length, Bhs.OpcodeOffset, Bhs.FlagsOffset, Bhs.TotalAhsLengthOffset,
            Bhs.DataSegmentLengthOffset, Bhs.LunOffset, Bhs.InitiatorTaskTagOffset));
        Assert.Equal((0x40, 0x80), (Bhs.ImmediateBit, Bhs.FinalBit));
    }

    [Fact]
    public void SetDataSegmentLength_writes_three_bytes_and_nothing_else()
    {
        var bhs = new byte[48];
        Array.Fill(bhs, (byte)0xEE);
        Bhs.SetDataSegmentLength(bhs, 0x123456);
        Assert.Equal(Hex("ee ee ee ee ee 12 34 56 ee"), bhs[..9]);
    }

    [Fact]
    public void Getters_refuse_a_short_buffer_with_a_clear_error()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => Bhs.GetDataSegmentLength(new byte[20]));
        Assert.Equal("BhsTooShort", ex.ErrorId);
        Assert.Contains("20", ex.Message);
        Assert.Throws<IscsiArgumentException>(() => Bhs.GetOpcode([]));
        Assert.Throws<IscsiArgumentException>(() => Bhs.SetDataSegmentLength(new byte[47], 1));
    }

    [Theory]
    [InlineData("00 00 00", 0)]
    [InlineData("ff ff ff", 0xFFFFFF)]
    [InlineData("01 00 00", 0x010000)]
    [InlineData("00 00 01", 1)]
    [InlineData("12 34 56", 0x123456)]
    public void BigEndian24_edges(string hex, int value)
    {
        Assert.Equal(value, BigEndian24.Read(Hex(hex)));
        var written = new byte[3];
        BigEndian24.Write(written, value);
        Assert.Equal(Hex(hex), written);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x1000000)]
    public void BigEndian24_refuses_values_that_do_not_fit(int value)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => BigEndian24.Write(new byte[3], value));
        Assert.Contains(value.ToString(), ex.Message);
    }

    [Fact]
    public void BigEndian24_refuses_short_spans()
    {
        Assert.Throws<IscsiArgumentException>(() => BigEndian24.Read(new byte[2]));
        Assert.Throws<IscsiArgumentException>(() => BigEndian24.Write(new byte[2], 0));
    }
}
