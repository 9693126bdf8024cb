namespace Iscsi.Tests.Fuzz;

/// <summary>A big-endian length field inside a fuzz input (e.g. DataSegmentLength: offset 5, 3 bytes), which the
/// mutator sets to the values that break careless parsers: 0, 1, max, max-1, one more or less than the truth.</summary>
internal readonly record struct LengthField(int Offset, int Width)
{
    public ulong MaxValue => Width >= 8 ? ulong.MaxValue : (1UL << (8 * Width)) - 1;

    public ulong Read(ReadOnlySpan<byte> data)
    {
        ulong value = 0;
        for (int i = 0; i < Width; i++) value = (value << 8) | data[Offset + i];
        return value;
    }

    public void Write(Span<byte> data, ulong value)
    {
        for (int i = Width - 1; i >= 0; i--, value >>= 8) data[Offset + i] = (byte)value;
    }

    public LengthField Shifted(int by) => this with { Offset = Offset + by };
}
