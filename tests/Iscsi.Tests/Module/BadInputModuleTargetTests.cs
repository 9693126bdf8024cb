using Iscsi.Tests.Infrastructure;
using Iscsi.Tests.Integration;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>The DESIGN.md bad-input cases that need a target, through the module's logic and ErrorMapper: the
/// ErrorId and category a cmdlet's ErrorRecord gets, and a message naming the value.</summary>
[Collection(TgtdCollection.Name)]
public sealed class BadInputModuleTargetTests(TgtdTarget target)
{
    private ConnectRequest To(string iqn, int? port = null) => new()
    {
        NodeAddress = iqn, TargetPortalAddress = target.Host, TargetPortalPortNumber = port ?? target.Port, New = true, Template = ModuleTarget.Fast(),
    };

    private static async Task<MappedError> FailsAsync(SessionCache cache, ConnectRequest request)
    {
        var ex = await Assert.ThrowsAnyAsync<IscsiException>(() => SessionConnector.ConnectAsync(cache, request.Build(), CancellationToken.None));
        Assert.Equal(0, cache.Count);
        return ErrorMapper.Map(ex, request.NodeAddress);
    }

    [RequiresTgtdFact]
    public async Task Unreachable_portal_is_a_connection_error_naming_host_and_port()
    {
        int closed = FreeTcpPort.Find();
        var e = await FailsAsync(new SessionCache(), To(target.DiskIqn, closed));
        Assert.Equal(("PortalUnreachable", ModuleErrorCategory.ConnectionError), (e.ErrorId, e.Category));
        Assert.Contains($"{target.Host}:{closed}", e.Message);
        Assert.Equal(target.DiskIqn, e.TargetObject);
    }

    [RequiresTgtdFact]
    public async Task Unknown_target_is_object_not_found_naming_it()
    {
        string iqn = target.DiskIqn + "-missing";
        var e = await FailsAsync(new SessionCache(), To(iqn));
        Assert.Equal(("LoginFailed.0203", ModuleErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));
        Assert.Contains($"'{iqn}'", e.Message);
    }

    [RequiresTgtdFact]
    public async Task Mutual_chap_refusal_and_unproven_target_are_distinct_authentication_errors()
    {
        var cache = new SessionCache();
        var ours = To(target.MutualIqn);
        ours.Credential = new ChapCredential(target.MutualUser, "wrong-initiator-secret-m1");
        ours.TargetCredential = new ChapCredential(target.MutualTargetUser, target.MutualTargetSecret);
        var refused = await FailsAsync(cache, ours);
        Assert.Equal(("LoginFailed.0201", ModuleErrorCategory.AuthenticationError), (refused.ErrorId, refused.Category));
        Assert.Contains($"'{target.MutualUser}'", refused.Message);

        var theirs = To(target.MutualIqn);
        theirs.Credential = new ChapCredential(target.MutualUser, target.MutualSecret);
        theirs.TargetCredential = new ChapCredential(target.MutualTargetUser, "wrong-target-secret-m2");
        var unproven = await FailsAsync(cache, theirs);
        Assert.Equal(("TargetAuthenticationFailed", ModuleErrorCategory.AuthenticationError), (unproven.ErrorId, unproven.Category));
        Assert.Contains($"'{target.MutualTargetUser}'", unproven.Message);
    }

    [RequiresTgtdFact]
    public async Task One_secret_for_both_directions_is_refused_naming_both_users()
    {
        var request = To(target.MutualIqn);
        request.Credential = new ChapCredential(target.MutualUser, target.MutualSecret);
        request.TargetCredential = new ChapCredential(target.MutualTargetUser, target.MutualSecret);
        var e = await FailsAsync(new SessionCache(), request);
        Assert.Equal(("ChapSecretsIdentical", ModuleErrorCategory.InvalidArgument), (e.ErrorId, e.Category));
        Assert.Contains($"'{target.MutualUser}'", e.Message);
        Assert.Contains($"'{target.MutualTargetUser}'", e.Message);
    }

    [RequiresTgtdFact]
    public async Task Block_transfer_on_a_missing_or_impossible_lun_names_it()
    {
        var cache = new SessionCache();
        try
        {
            var session = await target.ConnectDiskAsync(cache);
            var missing = ErrorMapper.Map(await Assert.ThrowsAsync<IscsiArgumentException>(() => BlockTransfer.OpenAsync(session, 9, CancellationToken.None)));
            Assert.Equal(("LunNotFound", ModuleErrorCategory.ObjectNotFound), (missing.ErrorId, missing.Category));
            Assert.Contains("LUN 9 is not reported", missing.Message);
            Assert.Contains("its LUNs: 0, 1, 2, 3, 4", missing.Message);
            var controller = ErrorMapper.Map(await Assert.ThrowsAsync<IscsiArgumentException>(() => BlockTransfer.OpenAsync(session, 0, CancellationToken.None)));
            Assert.Equal(("LunNotBlockDevice", ModuleErrorCategory.InvalidOperation), (controller.ErrorId, controller.Category));
            var impossible = ErrorMapper.Map(await Assert.ThrowsAsync<IscsiArgumentException>(() => BlockTransfer.OpenAsync(session, 16384, CancellationToken.None)));
            Assert.Equal(("LunOutOfRange", ModuleErrorCategory.InvalidArgument), (impossible.ErrorId, impossible.Category));
            Assert.Contains("LUN 16384", impossible.Message);
            var transfer = await BlockTransfer.OpenAsync(session, target.DiskLun1.Number, CancellationToken.None);
            var zero = ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(() => transfer.CheckRange(0, 0)));
            Assert.Equal(("BlockCountInvalid", ModuleErrorCategory.InvalidArgument), (zero.ErrorId, zero.Category));
            Assert.Contains("count 0", zero.Message);
            var huge = ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(() => transfer.CheckRange(0, ulong.MaxValue)));
            Assert.Equal("LbaOutOfRange", huge.ErrorId);
            Assert.Contains($"{ulong.MaxValue} blocks", huge.Message);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }
}
