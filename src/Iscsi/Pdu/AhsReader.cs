using System.Buffers.Binary;

namespace Iscsi.Pdu;

/// <summary>Walks the Additional Header Segment area (TotalAHSLength bytes after the BHS) without
/// trusting any length in it (RFC 7143 11.2.2).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 | AHSLength                     | AHSType       | AHS-Specific  |
///    4 | AHS-Specific (AHSLength - 1 more bytes) ... pad to 4          |
/// </code>
/// AHSLength counts the bytes after AHSType (so the specific byte at offset 3 is included) and excludes
/// padding: one AHS occupies PadTo4(3 + AHSLength) bytes.
/// </remarks>
public static class AhsReader
{
    private const int LengthFieldSize = 2;
    private const int TypeOffset = 2;
    /// <summary>AHSLength + AHSType: the bytes an AHS occupies beyond what AHSLength counts.</summary>
    private const int FixedPartSize = 3;

    /// <summary>True when the area is a whole number of AHS entries, each inside the area.
    /// <paramref name="error"/> says which one overruns, or why the area itself is malformed.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> ahs, out string? error)
    {
        if (ahs.Length % 4 != 0)
        {
            error = $"The AHS area is {ahs.Length} bytes, not a multiple of 4.";
            return false;
        }

        int offset = 0;
        int index = 0;
        while (offset < ahs.Length)
        {
            if (ahs.Length - offset < FixedPartSize)
            {
                error = $"AHS #{index} at offset {offset} is cut off: {ahs.Length - offset} bytes left, the header needs {FixedPartSize}.";
                return false;
            }
            int ahsLength = BinaryPrimitives.ReadUInt16BigEndian(ahs.Slice(offset));
            int entrySize = PduLayout.PadTo4(FixedPartSize + ahsLength);
            if (entrySize > ahs.Length - offset)
            {
                error = $"AHS #{index} (type {ahs[offset + TypeOffset]}) at offset {offset} declares AHSLength {ahsLength}, "
                      + $"which needs {entrySize} bytes; only {ahs.Length - offset} remain of the {ahs.Length}-byte AHS area.";
                return false;
            }
            offset += entrySize;
            index++;
        }

        error = null;
        return true;
    }

    /// <summary>Throwing form of <see cref="TryValidate"/> for the receive path.</summary>
    /// <exception cref="IscsiProtocolException">ErrorId "AhsMalformed".</exception>
    public static void Validate(ReadOnlySpan<byte> ahs)
    {
        if (!TryValidate(ahs, out string? error))
            throw new IscsiProtocolException(error!, "AhsMalformed");
    }
}
