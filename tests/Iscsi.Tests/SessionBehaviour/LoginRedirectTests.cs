using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Login redirection (RFC 7143 11.13.5, status class 1 with TargetAddress).</summary>
public sealed class LoginRedirectTests
{
    [Theory]
    [InlineData(0x01)] // moved temporarily
    [InlineData(0x02)] // moved permanently
    public async Task The_login_follows_a_redirect_to_the_other_portal(byte detail)
    {
        await using var b = new FakeTarget();
        await using var a = new FakeTarget(settings: new FakeTargetSettings
        {
            RefuseStatusClass = 0x01, RefuseStatusDetail = detail, RedirectTo = $"127.0.0.1:{b.Port},1",
        });

        await using var session = await IscsiSession.ConnectAsync(FakeTarget.Host, a.Port, FakeTarget.TargetName, FakeTarget.Options())
            .WaitAsync(FakeTarget.Patience);

        Assert.Equal(b.Port, session.TargetPort);
        Assert.Equal(1, a.ConnectionCount);
        Assert.Equal(1, b.ConnectionCount);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);
        Assert.Single(b.Received, p => p.Opcode == Iscsi.Pdu.Opcode.ScsiCommand);
        Assert.Empty(a.Received);
    }

    [Fact]
    public async Task Too_many_redirects_fail_with_TooManyRedirects()
    {
        var settings = new FakeTargetSettings { RefuseStatusClass = 0x01, RefuseStatusDetail = 0x01 };
        await using var loop = new FakeTarget(settings: settings);
        settings.RedirectTo = $"127.0.0.1:{loop.Port},1"; // to itself, for ever

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() =>
            IscsiSession.ConnectAsync(FakeTarget.Host, loop.Port, FakeTarget.TargetName, FakeTarget.Options(o => o.MaxRedirects = 2))
                .WaitAsync(FakeTarget.Patience));

        Assert.Equal("TooManyRedirects", error.ErrorId);
        Assert.Contains($"127.0.0.1:{loop.Port},1", error.Message);
        Assert.Contains("2", error.Message);
        Assert.Equal(3, loop.ConnectionCount); // the first login and the two redirects it was allowed to follow
    }
}
