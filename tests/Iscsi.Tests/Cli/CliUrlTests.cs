using IscsiCli;

namespace Iscsi.Tests.Cli;

/// <summary>The `iscsi` command's URL checks: a command that works on a LUN or a target says which part is missing.</summary>
public sealed class CliUrlTests
{
    [Theory]
    [InlineData("iscsi://nas01")]
    [InlineData("iscsi://nas01/iqn.2026-11.test:disk")]
    public void A_lun_command_needs_target_and_lun(string url)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => CliRunner.ParseLunUrl(url));
        Assert.Equal("UrlNeedsLun", ex.ErrorId);
        Assert.Contains($"'{url}'", ex.Message);
        Assert.Equal(ExitCodes.InvalidArgument, ExitCodes.For(ex));
    }

    [Fact]
    public void A_target_command_needs_a_target_and_never_shows_the_secret()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => CliRunner.ParseTargetUrl("iscsi://bob%cli-secret-123456@nas01:3261"));
        Assert.Equal("UrlNeedsTarget", ex.ErrorId);
        Assert.Contains("'iscsi://bob%***@nas01:3261'", ex.Message);
        Assert.DoesNotContain("cli-secret", ex.Message);
    }
}
