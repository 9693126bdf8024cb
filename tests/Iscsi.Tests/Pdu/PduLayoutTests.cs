using Iscsi.Pdu;

namespace Iscsi.Tests.Pdu;

public class PduLayoutTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 4, 3)]
    [InlineData(2, 4, 2)]
    [InlineData(3, 4, 1)]
    [InlineData(4, 4, 0)]
    [InlineData(5, 8, 3)]
    [InlineData(0xFFFFFF, 0x1000000, 1)]
    public void Padding_rounds_up_to_whole_words(int length, int padded, int padding)
    {
        Assert.Equal(padded, PduLayout.PadTo4(length));
        Assert.Equal(padding, PduLayout.PaddingOf(length));
    }

    [Fact]
    public void Negative_lengths_are_refused()
    {
        Assert.Equal("SegmentLengthOutOfRange", Assert.Throws<IscsiArgumentException>(() => PduLayout.PadTo4(-1)).ErrorId);
        Assert.Throws<IscsiArgumentException>(() => PduLayout.PaddingOf(-4));
    }

    private static byte[] BhsWith(int totalAhsWords, int dataSegmentLength)
    {
        var bhs = new byte[48];
        bhs[0] = (byte)Opcode.DataIn;
        bhs[4] = (byte)totalAhsWords;
        bhs[5] = (byte)(dataSegmentLength >> 16);
        bhs[6] = (byte)(dataSegmentLength >> 8);
        bhs[7] = (byte)dataSegmentLength;
        return bhs;
    }

    [Theory]
    // AHS words, data length, header digest, data digest, expected bytes after the BHS
    [InlineData(0, 0, false, false, 0)]
    [InlineData(0, 0, true, false, 4)]
    [InlineData(0, 0, true, true, 4)]          // no data segment, so no data digest
    [InlineData(0, 0, false, true, 0)]
    [InlineData(0, 5, false, false, 8)]        // 5 + 3 padding
    [InlineData(0, 5, false, true, 12)]        // + data digest
    [InlineData(0, 5, true, true, 16)]         // + header digest
    [InlineData(2, 5, true, true, 24)]         // + 8 bytes of AHS
    [InlineData(2, 8, false, false, 16)]       // 8 AHS + 8 data, no padding
    [InlineData(255, 0xFFFFFF, true, true, 1020 + 4 + 0x1000000 + 4)]
    public void Bytes_after_bhs(int ahsWords, int dataLength, bool headerDigest, bool dataDigest, int expected)
    {
        Assert.Equal(expected, PduLayout.BytesAfterBhs(BhsWith(ahsWords, dataLength), headerDigest, dataDigest));
    }

    [Fact]
    public void A_data_segment_over_our_limit_is_a_protocol_error_before_anything_is_buffered()
    {
        var bhs = BhsWith(0, 8193);
        var ex = Assert.Throws<IscsiProtocolException>(() => PduLayout.BytesAfterBhs(bhs, false, false, maxDataSegmentLength: 8192));
        Assert.Equal("DataSegmentTooLong", ex.ErrorId);
        Assert.Contains("8193", ex.Message);
        Assert.Equal(8192 + 4, PduLayout.BytesAfterBhs(BhsWith(0, 8192), false, true, maxDataSegmentLength: 8192));   // at the limit: accepted
    }
}
