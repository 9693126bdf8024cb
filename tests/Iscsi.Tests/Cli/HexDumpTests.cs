using IscsiCli;

namespace Iscsi.Tests.Cli;

public sealed class HexDumpTests
{
    [Fact]
    public void Rows_of_16_with_offset_and_ascii()
    {
        var w = new StringWriter();
        HexDump.Write(w, "ABCDEFGHIJKLMNOPQ\x01"u8.ToArray(), 0x200);
        var lines = w.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("00000200  41 42 43 44 45 46 47 48  49 4A 4B 4C 4D 4E 4F 50  ABCDEFGHIJKLMNOP", lines[0]);
        Assert.Equal("00000210  51 01", lines[1][..15]);
        Assert.EndsWith("Q.", lines[1]);
    }

    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1536UL, "1.5 KiB")]
    [InlineData(67108864UL, "64 MiB")]
    [InlineData(1099511627776UL, "1 TiB")]
    public void Sizes_in_binary_units(ulong bytes, string text) => Assert.Equal(text, Units.Bytes(bytes));
}
