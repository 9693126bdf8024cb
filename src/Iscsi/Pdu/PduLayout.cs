namespace Iscsi.Pdu;

/// <summary>How a PDU is laid out after its BHS (RFC 7143 11.1):
/// <c>BHS | AHS... | HeaderDigest? | DataSegment + pad to 4 | DataDigest?</c>.</summary>
public static class PduLayout
{
    /// <summary>Rounds a length up to a multiple of 4 (segments are padded to whole words).</summary>
    public static int PadTo4(int length)
    {
        CheckLength(length);
        return (int)(((uint)length + 3u) & ~3u);
    }

    /// <summary>The 0..3 zero bytes that follow a segment of this length.</summary>
    public static int PaddingOf(int length)
    {
        CheckLength(length);
        return (4 - (length & 3)) & 3;
    }

    /// <summary>Bytes that follow the 48-byte BHS: AHS + header digest + padded data + data digest.
    /// The data digest protects the data segment, so a PDU without a data segment carries none.</summary>
    public static int BytesAfterBhs(ReadOnlySpan<byte> bhs, bool headerDigest, bool dataDigest)
    {
        int dataLength = Bhs.GetDataSegmentLength(bhs);
        return Bhs.GetTotalAhsLength(bhs)
            + (headerDigest ? Crc32C.DigestLength : 0)
            + PadTo4(dataLength)
            + (dataDigest && dataLength > 0 ? Crc32C.DigestLength : 0);
    }

    /// <summary>Like <see cref="BytesAfterBhs(ReadOnlySpan{byte}, bool, bool)"/>, but first refuses a data segment
    /// longer than we told the peer we accept (our MaxRecvDataSegmentLength), so nothing is buffered for it.</summary>
    /// <exception cref="IscsiProtocolException">ErrorId "DataSegmentTooLong".</exception>
    public static int BytesAfterBhs(ReadOnlySpan<byte> bhs, bool headerDigest, bool dataDigest, int maxDataSegmentLength)
    {
        int dataLength = Bhs.GetDataSegmentLength(bhs);
        if (dataLength > maxDataSegmentLength)
            throw new IscsiProtocolException(
                $"{Bhs.GetOpcode(bhs)} PDU announces a {dataLength}-byte data segment; the limit is {maxDataSegmentLength}.",
                "DataSegmentTooLong");
        return BytesAfterBhs(bhs, headerDigest, dataDigest);
    }

    private static void CheckLength(int length)
    {
        if (length is < 0 or > int.MaxValue - 3)
            throw new IscsiArgumentException("SegmentLengthOutOfRange", $"Segment length {length} is negative or too large to pad.");
    }
}
