using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>The DESIGN.md bad-input cases that need a real target, at engine level: each failure has its ErrorId
/// and a message naming the offending value. (LBA past capacity, read-only LUN, missing LUN as sense data, unknown
/// IQN, closed port and wrong secrets are in LoginTests and ReadWriteTests.)</summary>
[Collection(TgtdCollection.Name)]
public sealed class BadInputTargetTests(TgtdTarget target)
{
    [RequiresTgtdFact]
    public async Task Capacity_of_a_lun_that_is_not_there_fails_naming_the_lun()
    {
        await using var session = await target.ConnectDiskAsync();
        var ex = await Assert.ThrowsAsync<ScsiCommandException>(() => session.ReadCapacityAsync(9));
        Assert.Equal("ScsiCheckCondition.IllegalRequest", ex.ErrorId);
        Assert.Contains("LUN 9", ex.Message);
        Assert.Equal(0x25, ex.Result.Sense!.Asc); // LOGICAL UNIT NOT SUPPORTED
        Assert.True((await session.TestUnitReadyAsync(1)).IsGood);
    }

    [RequiresTgtdFact]
    public async Task A_command_on_a_logged_out_session_is_SessionClosed_naming_target_and_portal()
    {
        var session = await target.ConnectDiskAsync();
        await session.LogoutAsync();
        var ex = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ReadBlocksAsync(1, 0, 1, 512, new byte[512]));
        Assert.Equal("SessionClosed", ex.ErrorId);
        Assert.Contains(target.DiskIqn, ex.Message);
        Assert.Contains($"{target.Host}:{target.Port}", ex.Message);
        await session.DisposeAsync();
    }

    [RequiresTgtdFact]
    public async Task A_chap_target_without_a_credential_is_0201_saying_no_credential_was_given()
    {
        var ex = await Assert.ThrowsAsync<IscsiLoginException>(
            () => IscsiSession.ConnectAsync(target.Host, target.Port, target.ChapIqn, TargetSession.Fast()));
        Assert.Equal("LoginFailed.0201", ex.ErrorId);
        Assert.Contains("no CHAP credential was given", ex.Message);
    }

    [RequiresTgtdFact]
    public async Task Mutual_chap_tells_our_refused_credentials_from_an_unauthenticated_target()
    {
        // Our secret wrong: the target refuses us (0201, naming our user).
        var ours = TargetSession.Fast();
        ours.Chap = new ChapCredential(target.MutualUser, "wrong-initiator-secret-1");
        ours.TargetChap = new ChapCredential(target.MutualTargetUser, target.MutualTargetSecret);
        var refused = await Assert.ThrowsAsync<IscsiLoginException>(
            () => IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, ours));
        Assert.Equal("LoginFailed.0201", refused.ErrorId);
        Assert.Contains($"'{target.MutualUser}'", refused.Message);

        // The target's secret wrong: it cannot prove itself (TargetAuthenticationFailed, naming the target user we expected).
        var theirs = TargetSession.Fast();
        theirs.Chap = new ChapCredential(target.MutualUser, target.MutualSecret);
        theirs.TargetChap = new ChapCredential(target.MutualTargetUser, "wrong-target-secret-22");
        var unproven = await Assert.ThrowsAsync<IscsiAuthenticationException>(
            () => IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, theirs));
        Assert.Equal("TargetAuthenticationFailed", unproven.ErrorId);
        Assert.Contains(target.MutualTargetUser, unproven.Message);
        foreach (var text in new[] { refused.Message, unproven.Message })
        {
            Assert.DoesNotContain("wrong-initiator-secret-1", text);
            Assert.DoesNotContain("wrong-target-secret-22", text);
            Assert.DoesNotContain(target.MutualSecret, text);
            Assert.DoesNotContain(target.MutualTargetSecret, text);
        }
    }

    [RequiresTgtdFact]
    public async Task One_secret_for_both_directions_is_ChapSecretsIdentical_naming_both_users()
    {
        var options = TargetSession.Fast();
        options.Chap = new ChapCredential(target.MutualUser, target.MutualSecret);
        options.TargetChap = new ChapCredential(target.MutualTargetUser, target.MutualSecret);
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(
            () => IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, options));
        Assert.Equal("ChapSecretsIdentical", ex.ErrorId);
        Assert.Contains($"'{target.MutualUser}'", ex.Message);
        Assert.Contains($"'{target.MutualTargetUser}'", ex.Message);
        Assert.DoesNotContain(target.MutualSecret, ex.Message);
    }

    [RequiresTgtdFact]
    public async Task Mutual_chap_without_one_way_chap_is_MutualChapWithoutChap_naming_the_target_user()
    {
        var options = TargetSession.Fast();
        options.TargetChap = new ChapCredential(target.MutualTargetUser, target.MutualTargetSecret);
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(
            () => IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, options));
        Assert.Equal("MutualChapWithoutChap", ex.ErrorId);
        Assert.Contains($"'{target.MutualTargetUser}'", ex.Message);
    }

    [RequiresTgtdFact]
    public async Task A_write_that_is_not_a_whole_number_of_blocks_is_refused_before_anything_is_sent()
    {
        await using var session = await target.ConnectDiskAsync();
        long before = session.Statistics.CommandsSent;
        var ex = Assert.Throws<IscsiArgumentException>(() => { _ = session.WriteBlocksAsync(1, 0, 512, new byte[700]); });
        Assert.Equal("DataNotBlockMultiple", ex.ErrorId);
        Assert.Contains("700", ex.Message);
        Assert.Equal(before, session.Statistics.CommandsSent);
    }
}
