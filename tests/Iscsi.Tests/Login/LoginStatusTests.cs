using Iscsi.Login;

namespace Iscsi.Tests.Login;

public class LoginStatusTests
{
    // Every status of RFC 7143 11.13.5 with its name.
    [Theory]
    [InlineData(0x00, 0x00, "0x0000 Success")]
    [InlineData(0x01, 0x01, "0x0101 Target moved temporarily")]
    [InlineData(0x01, 0x02, "0x0102 Target moved permanently")]
    [InlineData(0x02, 0x00, "0x0200 Initiator error")]
    [InlineData(0x02, 0x01, "0x0201 Authentication failure")]
    [InlineData(0x02, 0x02, "0x0202 Authorization failure")]
    [InlineData(0x02, 0x03, "0x0203 Target not found")]
    [InlineData(0x02, 0x04, "0x0204 Target removed")]
    [InlineData(0x02, 0x05, "0x0205 Unsupported version")]
    [InlineData(0x02, 0x06, "0x0206 Too many connections")]
    [InlineData(0x02, 0x07, "0x0207 Missing parameter")]
    [InlineData(0x02, 0x08, "0x0208 Can't include in session")]
    [InlineData(0x02, 0x09, "0x0209 Session type not supported")]
    [InlineData(0x02, 0x0A, "0x020A Session does not exist")]
    [InlineData(0x02, 0x0B, "0x020B Invalid during login")]
    [InlineData(0x03, 0x00, "0x0300 Target error")]
    [InlineData(0x03, 0x01, "0x0301 Service unavailable")]
    [InlineData(0x03, 0x02, "0x0302 Out of resources")]
    public void Describe_names_every_rfc_status(byte statusClass, byte statusDetail, string expectedStart)
    {
        string text = LoginStatus.Describe(statusClass, statusDetail);
        Assert.StartsWith(expectedStart + ": ", text);
        Assert.True(text.Length > expectedStart.Length + 10, text);
    }

    [Fact]
    public void Undefined_statuses_still_say_what_they_are()
    {
        Assert.Equal("0x020C Unknown initiator error: status class 0x02 (initiator error) with undefined detail 0x0C", LoginStatus.Describe(2, 0x0C));
        Assert.StartsWith("0x0303 Unknown target error", LoginStatus.Describe(3, 3));
        Assert.StartsWith("0x0103 Unknown redirection", LoginStatus.Describe(1, 3));
        Assert.Equal("0x7F01 Unknown status: status class 0x7F is not defined by RFC 7143 (detail 0x01)", LoginStatus.Describe(0x7F, 1));
    }
}
