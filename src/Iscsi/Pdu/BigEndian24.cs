namespace Iscsi.Pdu;

/// <summary>The 3-byte big-endian integer used by DataSegmentLength; BinaryPrimitives has no 24-bit helper.</summary>
public static class BigEndian24
{
    /// <summary>Largest value a 24-bit field can hold (16 MiB - 1).</summary>
    public const int MaxValue = 0xFFFFFF;

    public static int Read(ReadOnlySpan<byte> s)
    {
        if (s.Length < 3)
            throw new IscsiArgumentException("BufferTooShort", $"A 24-bit field needs 3 bytes; the span holds {s.Length}.");
        return (s[0] << 16) | (s[1] << 8) | s[2];
    }

    public static void Write(Span<byte> d, int value)
    {
        if (d.Length < 3)
            throw new IscsiArgumentException("BufferTooShort", $"A 24-bit field needs 3 bytes; the span holds {d.Length}.");
        if (value is < 0 or > MaxValue)
            throw new IscsiArgumentException("Value24OutOfRange", $"{value} does not fit a 24-bit field (0..{MaxValue}).");
        d[0] = (byte)(value >> 16);
        d[1] = (byte)(value >> 8);
        d[2] = (byte)value;
    }
}
