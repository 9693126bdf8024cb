using System.Text;
using Iscsi.Login;

namespace Iscsi.Tests.Login;

public class TextKeyValuesTests
{
    // "HeaderDigest=None\0MaxBurstLength=262144\0" written out byte by byte (ASCII table), not via our encoder.
    private static readonly byte[] TwoPairs =
    [
        0x48, 0x65, 0x61, 0x64, 0x65, 0x72, 0x44, 0x69, 0x67, 0x65, 0x73, 0x74, // HeaderDigest
        0x3D, 0x4E, 0x6F, 0x6E, 0x65, 0x00,                                     // =None\0
        0x4D, 0x61, 0x78, 0x42, 0x75, 0x72, 0x73, 0x74, 0x4C, 0x65, 0x6E, 0x67, 0x74, 0x68, // MaxBurstLength
        0x3D, 0x32, 0x36, 0x32, 0x31, 0x34, 0x34, 0x00,                         // =262144\0
    ];

    [Fact]
    public void Parse_reads_pairs_in_order()
    {
        var text = TextKeyValues.Parse(TwoPairs);
        Assert.Equal(2, text.Count);
        Assert.Equal(new KeyValuePair<string, string>("HeaderDigest", "None"), text.Pairs[0]);
        Assert.Equal(new KeyValuePair<string, string>("MaxBurstLength", "262144"), text.Pairs[1]);
        Assert.Equal("262144", text["MaxBurstLength"]);
        Assert.Null(text["maxburstlength"]); // keys are case-sensitive
        Assert.Null(text.FirstDuplicateKey);
    }

    [Fact]
    public void Encode_is_byte_exact()
    {
        var text = new TextKeyValues();
        text.Add("HeaderDigest", "None");
        text.Add("MaxBurstLength", "262144");
        Assert.Equal(TwoPairs.Length, text.EncodedLength);
        Assert.Equal(TwoPairs, text.Encode());

        var buffer = new byte[TwoPairs.Length + 4];
        text.EncodeTo(buffer);
        Assert.Equal(TwoPairs, buffer[..TwoPairs.Length]);
    }

    [Fact]
    public void Encode_writes_utf8_values()
    {
        var text = new TextKeyValues();
        text.Add("TargetAlias", "Über");
        // 'Ü' is C3 9C in UTF-8.
        Assert.Equal(new byte[] { 0x54, 0x61, 0x72, 0x67, 0x65, 0x74, 0x41, 0x6C, 0x69, 0x61, 0x73, 0x3D, 0xC3, 0x9C, 0x62, 0x65, 0x72, 0x00 }, text.Encode());
    }

    [Fact]
    public void Empty_encodes_to_nothing_and_parses_from_nothing()
    {
        Assert.Empty(new TextKeyValues().Encode());
        Assert.Equal(0, TextKeyValues.Parse([]).Count);
    }

    [Fact]
    public void Missing_trailing_nul_is_tolerated_and_value_may_contain_equals()
    {
        var text = TextKeyValues.Parse("A=1\0TargetAddress=10.0.0.1:3260,1\0X-com.example.k=a=b"u8);
        Assert.Equal(3, text.Count);
        Assert.Equal("a=b", text["X-com.example.k"]);
    }

    [Fact]
    public void Empty_value_and_padding_nuls_are_accepted()
    {
        var text = TextKeyValues.Parse("TargetAlias=\0\0\0\0"u8);
        Assert.Equal(1, text.Count);
        Assert.Equal("", text["TargetAlias"]);
    }

    [Fact]
    public void Duplicates_are_kept_and_detectable()
    {
        var text = TextKeyValues.Parse("A=1\0B=2\0A=3\0"u8);
        Assert.Equal(3, text.Count);
        Assert.Equal("1", text["A"]);
        Assert.Equal("A", text.FirstDuplicateKey);
    }

    [Theory]
    [InlineData("NoEqualsSign\0", "has no '='")]
    [InlineData("=value\0", "empty")]
    [InlineData("lowercase=1\0", "capital letter")]
    [InlineData("Bad Key=1\0", "' '")]
    [InlineData("Bad/Key=1\0", "'/'")]
    public void Malformed_text_throws_TextKeyMalformed(string wire, string expectedInMessage)
    {
        var e = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.ASCII.GetBytes(wire)));
        Assert.Equal("TextKeyMalformed", e.ErrorId);
        Assert.Contains(expectedInMessage, e.Message);
    }

    [Fact]
    public void Key_of_63_characters_is_accepted_64_is_not()
    {
        string key63 = "K" + new string('a', 62);
        Assert.Equal("v", TextKeyValues.Parse(Encoding.ASCII.GetBytes(key63 + "=v\0"))[key63]);

        var e = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.ASCII.GetBytes(key63 + "a=v\0")));
        Assert.Equal("TextKeyMalformed", e.ErrorId);
        Assert.Contains("64 characters", e.Message);
    }

    [Fact]
    public void Value_of_8192_bytes_is_accepted_8193_is_not()
    {
        Assert.Equal(8192, TextKeyValues.Parse(Encoding.ASCII.GetBytes("TargetAlias=" + new string('a', 8192)))["TargetAlias"]!.Length);
        var e = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.ASCII.GetBytes("TargetAlias=" + new string('a', 8193))));
        Assert.Equal("TextKeyMalformed", e.ErrorId);
        Assert.Contains("TargetAlias", e.Message);
    }

    [Fact]
    public void Binary_value_may_hold_8192_bytes_as_hex()
    {
        string hex = "0x" + new string('a', 8192 * 2);
        Assert.Equal(16386, TextKeyValues.Parse(Encoding.ASCII.GetBytes("CHAP_C=" + hex))["CHAP_C"]!.Length);
        var e = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.ASCII.GetBytes("CHAP_C=" + hex + "a")));
        Assert.Equal("TextKeyMalformed", e.ErrorId);
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        var e = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse([0x41, 0x3D, 0xC3, 0x28, 0x00]));
        Assert.Equal("TextKeyMalformed", e.ErrorId);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Add_refuses_what_could_not_be_sent()
    {
        var text = new TextKeyValues();
        Assert.Equal("TextKeyInvalid", Assert.Throws<IscsiArgumentException>(() => text.Add("bad", "1")).ErrorId);
        Assert.Equal("TextKeyInvalid", Assert.Throws<IscsiArgumentException>(() => text.Add("Key", "a\0b")).ErrorId);
        Assert.Equal("TextKeyInvalid", Assert.Throws<IscsiArgumentException>(() => text.Add("Key", new string('x', 8193))).ErrorId);
        Assert.Equal(0, text.Count);
    }

    [Fact]
    public void EncodeTo_a_short_buffer_throws()
    {
        var text = new TextKeyValues();
        text.Add("A", "1");
        var e = Assert.Throws<IscsiArgumentException>(() => text.EncodeTo(new byte[3]));
        Assert.Contains("4", e.Message);
    }
}
