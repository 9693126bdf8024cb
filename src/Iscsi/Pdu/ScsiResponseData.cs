using System.Buffers.Binary;

namespace Iscsi.Pdu;

/// <summary>The data segment of a SCSI Response (RFC 7143 11.4.7): a 2-byte SenseLength, the sense data,
/// then any iSCSI response data.</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 | SenseLength                   | Sense Data ...                |
///    x | Sense Data ... | Response Data ...                            |
/// </code>
/// </remarks>
public static class ScsiResponseData
{
    private const int SenseLengthSize = 2;

    /// <summary>Splits a data segment (without padding). An empty segment means no sense and no response data.
    /// False when the segment is one byte long or SenseLength runs past its end.</summary>
    public static bool TryParse(ReadOnlySpan<byte> dataSegment, out ReadOnlySpan<byte> sense, out ReadOnlySpan<byte> responseData)
    {
        sense = default;
        responseData = default;
        if (dataSegment.IsEmpty)
            return true;
        if (dataSegment.Length < SenseLengthSize)
            return false;

        int senseLength = BinaryPrimitives.ReadUInt16BigEndian(dataSegment);
        if (senseLength > dataSegment.Length - SenseLengthSize)
            return false;

        sense = dataSegment.Slice(SenseLengthSize, senseLength);
        responseData = dataSegment.Slice(SenseLengthSize + senseLength);
        return true;
    }

    /// <summary>Throwing form of <see cref="TryParse"/> for the receive path.</summary>
    /// <exception cref="IscsiProtocolException">ErrorId "SenseLengthInvalid".</exception>
    public static void Parse(ReadOnlySpan<byte> dataSegment, out ReadOnlySpan<byte> sense, out ReadOnlySpan<byte> responseData)
    {
        if (!TryParse(dataSegment, out sense, out responseData))
        {
            string declared = dataSegment.Length >= SenseLengthSize
                ? BinaryPrimitives.ReadUInt16BigEndian(dataSegment).ToString()
                : "(missing)";
            throw new IscsiProtocolException(
                $"SCSI Response SenseLength {declared} does not fit its {dataSegment.Length}-byte data segment.", "SenseLengthInvalid");
        }
    }

    /// <summary>Builds a data segment (target side and tests): SenseLength, sense, response data. Returns bytes written.</summary>
    public static int Write(Span<byte> dest, ReadOnlySpan<byte> sense, ReadOnlySpan<byte> responseData = default)
    {
        if (sense.Length > ushort.MaxValue)
            throw new IscsiArgumentException("SenseTooLong", $"Sense data of {sense.Length} bytes does not fit the 16-bit SenseLength.");
        int total = SenseLengthSize + sense.Length + responseData.Length;
        if (dest.Length < total)
            throw new IscsiArgumentException("BufferTooShort", $"The response data segment needs {total} bytes; the span holds {dest.Length}.");
        BinaryPrimitives.WriteUInt16BigEndian(dest, (ushort)sense.Length);
        sense.CopyTo(dest.Slice(SenseLengthSize));
        responseData.CopyTo(dest.Slice(SenseLengthSize + sense.Length));
        return total;
    }
}
