using Iscsi.Login;

namespace Iscsi.Tests.Login;

public class InitiatorNamesTests
{
    [Theory]
    [InlineData("nas01.lab.example", "iqn.2026-11.example.lab.nas01:iscsimodule")]
    [InlineData("MyHost", "iqn.2026-11.myhost:iscsimodule")]
    [InlineData("host.example.com.", "iqn.2026-11.com.example.host:iscsimodule")]
    [InlineData("", "iqn.2026-11.localdomain:iscsimodule")]
    [InlineData(null, "iqn.2026-11.localdomain:iscsimodule")]
    [InlineData("bad_host.example", "iqn.2026-11.localdomain:iscsimodule")]
    [InlineData("a..b", "iqn.2026-11.localdomain:iscsimodule")]
    public void Default_reverses_the_host_name(string? host, string expected)
    {
        Assert.Equal(expected, InitiatorNames.Default(host));
        Assert.True(InitiatorNames.IsValidName(expected));
    }

    [Fact]
    public void Default_for_this_machine_is_valid()
    {
        string name = InitiatorNames.Default();
        Assert.StartsWith("iqn.2026-11.", name);
        Assert.EndsWith(":iscsimodule", name);
        Assert.True(InitiatorNames.IsValidName(name), name);
    }

    [Theory]
    [InlineData("iqn.2001-04.com.example:storage.disk1.sys1.xyz")]
    [InlineData("iqn.2001-04.com.example")]
    [InlineData("iqn.1991-05.com.microsoft:win-abc")]
    [InlineData("eui.02004567A425678D")]
    [InlineData("naa.52004567BA64678D")]
    [InlineData("naa.62004567BA64678D0123456789ABCDEF")]
    public void Valid_names(string name) => Assert.True(InitiatorNames.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("iqn.")]
    [InlineData("iqn.2001.com.example")]
    [InlineData("iqn.2001-13.com.example")]
    [InlineData("iqn.2001-04")]
    [InlineData("iqn.2001-04.")]
    [InlineData("iqn.2001-04.com..example")]
    [InlineData("iqn.2001-04.com.example:")]
    [InlineData("iqn.2001-04.com.example:has space")]
    [InlineData("iqn.2001-04.com_example:x")]
    [InlineData("eui.02004567A425678")]
    [InlineData("eui.02004567A425678G")]
    [InlineData("naa.52004567BA64678D01")]
    [InlineData("IQN.2001-04.com.example")]
    [InlineData("host.example.com")]
    public void Invalid_names(string? name) => Assert.False(InitiatorNames.IsValidName(name));

    [Fact]
    public void Names_over_223_bytes_are_invalid()
    {
        string prefix = "iqn.2001-04.com.example:";
        Assert.True(InitiatorNames.IsValidName(prefix + new string('a', 223 - prefix.Length)));
        Assert.False(InitiatorNames.IsValidName(prefix + new string('a', 224 - prefix.Length)));
    }
}
