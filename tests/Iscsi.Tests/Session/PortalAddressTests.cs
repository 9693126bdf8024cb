using Iscsi.Discovery;

namespace Iscsi.Tests.Session;

public sealed class PortalAddressTests
{
    [Theory]
    [InlineData("10.1.2.3:3261,2", "10.1.2.3", 3261, 2)]
    [InlineData("nas01.example", "nas01.example", 3260, 1)]
    [InlineData("nas01:3262", "nas01", 3262, 1)]
    [InlineData("[fe80::1]:3263,7", "fe80::1", 3263, 7)]
    [InlineData("[::1],3", "::1", 3260, 3)]
    [InlineData("fe80::2", "fe80::2", 3260, 1)]
    public void Parses_the_target_address_forms(string text, string host, int port, int tag)
    {
        var p = PortalAddress.Parse(text);
        Assert.Equal(host, p.Address);
        Assert.Equal(port, p.Port);
        Assert.Equal((ushort)tag, p.PortalGroupTag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:99999")]
    [InlineData("host:abc")]
    [InlineData("[::1")]
    [InlineData("host,notanumber")]
    [InlineData(":3260")]
    public void Malformed_addresses_are_protocol_errors_naming_the_value(string text)
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => PortalAddress.Parse(text));
        Assert.Equal("TargetAddressMalformed", ex.ErrorId);
        if (text.Length > 0) Assert.Contains(text, ex.Message);
    }
}
