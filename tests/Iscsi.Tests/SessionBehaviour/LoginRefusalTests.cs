using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Every login refusal of RFC 7143 11.13.5 surfaces as IscsiLoginException with its class/detail,
/// ErrorId "LoginFailed.CCDD" and a message naming it.</summary>
public sealed class LoginRefusalTests
{
    [Theory]
    [InlineData(0x02, 0x01, "Authentication failure")]
    [InlineData(0x02, 0x02, "Authorization failure")]
    [InlineData(0x02, 0x03, "Target not found")]
    [InlineData(0x02, 0x04, "Target removed")]
    [InlineData(0x02, 0x05, "Unsupported version")]
    [InlineData(0x02, 0x06, "Too many connections")]
    [InlineData(0x02, 0x07, "Missing parameter")]
    [InlineData(0x02, 0x08, "Can't include in session")]
    [InlineData(0x02, 0x09, "Session type not supported")]
    [InlineData(0x02, 0x0a, "Session does not exist")]
    [InlineData(0x02, 0x0b, "Invalid during login")]
    [InlineData(0x02, 0x0c, "0x020C")] // not in RFC 7143's table: still named by its code
    [InlineData(0x03, 0x00, "Target error")]
    [InlineData(0x03, 0x01, "Service unavailable")]
    [InlineData(0x03, 0x02, "Out of resources")]
    public async Task A_refused_login_throws_with_the_status(byte statusClass, byte statusDetail, string name)
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { RefuseStatusClass = statusClass, RefuseStatusDetail = statusDetail });

        var error = await Assert.ThrowsAsync<IscsiLoginException>(() => fake.ConnectAsync());

        Assert.Equal(statusClass, error.StatusClass);
        Assert.Equal(statusDetail, error.StatusDetail);
        string code = $"{statusClass:X2}{statusDetail:X2}";
        Assert.Equal($"LoginFailed.{code}", error.ErrorId);
        Assert.Contains($"0x{code}", error.Message);
        Assert.Contains(name, error.Message);
        Assert.Equal(1, fake.ConnectionCount); // no retry
        await fake.Connection.Closed.WaitAsync(FakeTarget.Patience);
    }
}
