namespace Iscsi.Tests;

public sealed class TextSafetyTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("evil\u001b[2Jname\u0007", "evil\\x1B[2Jname\\x07")]
    [InlineData("line\r\nbreak", "line\\x0D\\x0Abreak")]
    [InlineData("nul\0del\u007fcsi\u009b", "nul\\x00del\\x7Fcsi\\x9B")]
    [InlineData("caf\u00e9 \u00fcber", "caf\u00e9 \u00fcber")]
    public void Text_from_outside_is_printed_without_control_characters(string text, string expected)
        => Assert.Equal(expected, TextSafety.Printable(text));

    [Fact]
    public void A_long_value_is_cut_before_it_is_escaped()
    {
        Assert.Equal("abc...", TextSafety.Printable("abcdef", 3));
        Assert.Equal("\\x1Bb...", TextSafety.Printable("\u001bbcdef", 2));
        Assert.Equal("abc", TextSafety.Printable("abc", 3));
        Assert.Equal("", TextSafety.Printable(null, 3));
    }

    [Fact]
    public void Bytes_are_quoted_as_ascii_with_the_rest_escaped()
    {
        Assert.Equal("GET \\x22/\\x5C\\x0D\\x0A\\xC3\\xA9...", TextSafety.PrintableBytes("GET \"/\\\r\n\u00e9 more"u8, 11));
        Assert.Equal("ok", TextSafety.PrintableBytes("ok"u8, 10));
    }
}
