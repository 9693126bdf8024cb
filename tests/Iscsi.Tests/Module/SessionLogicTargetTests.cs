using Iscsi.Scsi;
using Iscsi.Tests.Infrastructure;
using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>Connect / discover / cache / LUN description / ping / raw commands, against the real tgtd.</summary>
[Collection(TgtdCollection.Name)]
public sealed class SessionLogicTargetTests(TgtdTarget target)
{
    [RequiresTgtdFact]
    public async Task Connecting_again_returns_the_cached_session_unless_New()
    {
        var cache = new SessionCache();
        try
        {
            var first = await target.ConnectDiskAsync(cache);
            var again = await target.ConnectDiskAsync(cache);
            Assert.Same(first, again);
            var fresh = await target.ConnectDiskAsync(cache, @new: true);
            Assert.NotSame(first, fresh);
            Assert.NotEqual(first.SessionIdentifier, fresh.SessionIdentifier);
            Assert.Equal(2, cache.Count);
            Assert.Matches("^[0-9a-f]{12}-[0-9a-f]{4}$", first.SessionIdentifier);
            Assert.Equal(first.Isid + "-" + first.Tsih.ToString("x4"), first.SessionIdentifier);
            Assert.Same(first, cache.Get(first.SessionIdentifier.ToUpperInvariant()));
            Assert.Equal(2, cache.GetByNodeAddress(target.DiskIqn).Count);
            Assert.Equal((target.DiskIqn, target.Host, target.Port, IscsiAuthenticationType.None, true, true),
                (first.NodeAddress, first.TargetPortalAddress, first.TargetPortalPortNumber, first.AuthenticationType, first.IsConnected, first.IsIdle));
            Assert.Contains(first.SessionIdentifier, CompletionCandidates.SessionIdentifiers(cache, first.SessionIdentifier[..4]).Select(c => c.Text));
            Assert.Equal([target.DiskIqn], CompletionCandidates.NodeAddresses(cache, "iqn.").Select(c => c.Text));

            await SessionConnector.DisconnectAsync(cache, first, CancellationToken.None);
            Assert.False(first.IsConnected);
            Assert.Null(cache.TryGet(first.SessionIdentifier));
            Assert.Equal("SessionNotFound", Assert.Throws<IscsiArgumentException>(() => cache.Get(first.SessionIdentifier)).ErrorId);
            var closed = Assert.Throws<IscsiArgumentException>(() => SessionCache.RequireConnected(first));
            Assert.Equal("SessionClosed", closed.ErrorId);
            Assert.Contains(first.SessionIdentifier, closed.Message);
            Assert.Equal(ModuleErrorCategory.InvalidOperation, ErrorMapper.Map(closed).Category);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }

    [RequiresTgtdFact]
    public async Task Concurrent_connects_and_lookups_keep_the_cache_consistent()
    {
        var cache = new SessionCache();
        try
        {
            using var stop = new CancellationTokenSource();
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var s in cache.Sessions) Assert.Same(s, cache.Get(s.SessionIdentifier));
                    cache.FindReusable(target.Host, target.Port, target.DiskIqn, _ => true);
                }
            })).ToArray();
            var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => target.ConnectDiskAsync(cache, @new: true))));
            stop.Cancel();
            await Task.WhenAll(readers);
            Assert.Equal(8, cache.Count);
            Assert.Equal(8, sessions.Select(s => s.SessionIdentifier).Distinct().Count());
            await Task.WhenAll(sessions.Select(s => SessionConnector.DisconnectAsync(cache, s, CancellationToken.None)));
            Assert.Equal(0, cache.Count);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }

    [RequiresTgtdFact]
    public async Task Chap_connects_and_a_wrong_secret_is_an_authentication_error_without_the_secret()
    {
        var cache = new SessionCache();
        try
        {
            var ok = await SessionConnector.ConnectAsync(cache, new ConnectRequest
            {
                NodeAddress = target.MutualIqn, TargetPortalAddress = target.Host, TargetPortalPortNumber = target.Port,
                Credential = new ChapCredential(target.MutualUser, target.MutualSecret),
                TargetCredential = new ChapCredential(target.MutualTargetUser, target.MutualTargetSecret),
                Template = ModuleTarget.Fast(),
            }.Build(), CancellationToken.None);
            Assert.Equal(IscsiAuthenticationType.MutualChap, ok.AuthenticationType);
            Assert.True(ok.Negotiated.MutualChap);

            var wrong = new ConnectRequest
            {
                Uri = $"iscsi://{target.ChapUser}%wrong-secret-0123456789@{target.Host}:{target.Port}/{target.ChapIqn}",
                Template = ModuleTarget.Fast(),
            }.Build();
            var ex = await Assert.ThrowsAsync<IscsiLoginException>(() => SessionConnector.ConnectAsync(cache, wrong, CancellationToken.None));
            var mapped = ErrorMapper.Map(ex);
            Assert.Equal("LoginFailed.0201", mapped.ErrorId);
            Assert.Equal(ModuleErrorCategory.AuthenticationError, mapped.Category);
            Assert.DoesNotContain("wrong-secret", mapped.Message);
            Assert.Equal(1, cache.Count);

            var unknown = new ConnectRequest { NodeAddress = target.DiskIqn + "-nope", TargetPortalAddress = target.Host, TargetPortalPortNumber = target.Port, Template = ModuleTarget.Fast() }.Build();
            var nf = ErrorMapper.Map(await Assert.ThrowsAsync<IscsiLoginException>(() => SessionConnector.ConnectAsync(cache, unknown, CancellationToken.None)));
            Assert.Equal(("LoginFailed.0203", ModuleErrorCategory.ObjectNotFound), (nf.ErrorId, nf.Category));
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }

    [RequiresTgtdFact]
    public async Task Discovery_lists_every_target_and_marks_the_connected_one()
    {
        var cache = new SessionCache();
        try
        {
            await target.ConnectDiskAsync(cache);
            var targets = await TargetDiscoverer.DiscoverAsync(cache, target.Host, target.Port, null, ModuleTarget.Fast(), CancellationToken.None);
            Assert.Equal(new[] { target.ChapIqn, target.DiskIqn, target.MutualIqn }.Order(), targets.Select(t => t.NodeAddress).Order());
            var disk = targets.Single(t => t.NodeAddress == target.DiskIqn);
            Assert.True(disk.IsConnected);
            Assert.False(targets.Single(t => t.NodeAddress == target.ChapIqn).IsConnected);
            Assert.Equal((target.Host, target.Port), (disk.TargetPortalAddress, disk.TargetPortalPortNumber));

            Assert.Equal("NoTargetPortal", (await Assert.ThrowsAsync<IscsiArgumentException>(
                () => TargetDiscoverer.DiscoverAsync(cache, null, null, null, null, CancellationToken.None))).ErrorId);
            var portal = await TargetDiscoverer.AddPortalAsync(cache, target.Host, target.Port, null, null, ModuleTarget.Fast(), CancellationToken.None);
            Assert.Same(portal, Assert.Single(cache.Portals));
            Assert.Equal(3, (await TargetDiscoverer.DiscoverAsync(cache, null, null, null, ModuleTarget.Fast(), CancellationToken.None)).Count);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }

    [RequiresTgtdFact]
    public async Task Lun_description_matches_what_the_target_script_created()
    {
        var cache = new SessionCache();
        try
        {
            var session = await target.ConnectDiskAsync(cache);
            var luns = await LunInfoBuilder.BuildAsync(session, null, CancellationToken.None);
            Assert.Equal([0, 1, 2, 3, 4], luns.Select(l => l.Lun));
            Assert.Null(luns[0].BlockSize); // the controller LUN has no capacity
            foreach (var expected in new[] { target.DiskLun1, target.DiskNullLun2, target.Disk4KLun3, target.DiskReadOnlyLun4 })
            {
                var lun = luns.Single(l => l.Lun == expected.Number);
                Assert.Equal(PeripheralDeviceType.DirectAccessBlock, lun.DeviceType);
                Assert.Equal(expected.BlockSize, lun.BlockSize);
                Assert.Equal((ulong)expected.BlockCount, lun.BlockCount);
                Assert.Equal((ulong)expected.SizeInBytes, lun.Size);
                Assert.Equal(expected.ReadOnly, lun.WriteProtected);
                Assert.Same(session, lun.Session);
                Assert.False(string.IsNullOrEmpty(lun.Vendor));
                Assert.NotEmpty(lun.Designators);
            }
            var only = await LunInfoBuilder.BuildAsync(session, [3], CancellationToken.None);
            Assert.Equal(4096, Assert.Single(only).BlockSize);
            var missing = await Assert.ThrowsAsync<IscsiArgumentException>(() => LunInfoBuilder.BuildAsync(session, [9], CancellationToken.None));
            Assert.Equal("LunNotFound", missing.ErrorId);
            Assert.Contains("LUN 9", missing.Message);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }

    [RequiresTgtdFact]
    public async Task Ping_succeeds_on_a_live_session_and_reports_failure_on_a_closed_one()
    {
        var cache = new SessionCache();
        var session = await target.ConnectDiskAsync(cache);
        var ok = await SessionPinger.PingOnceAsync(session, 1, CancellationToken.None);
        Assert.True(ok.Success);
        Assert.True(ok.RoundTripTime > TimeSpan.Zero);
        await SessionConnector.DisconnectAsync(cache, session, CancellationToken.None);
        var failed = await SessionPinger.PingOnceAsync(session, 2, CancellationToken.None);
        Assert.False(failed.Success);
        Assert.Contains("closed", failed.Error);
        Assert.Equal("CountOutOfRange", Assert.Throws<IscsiArgumentException>(() => SessionPinger.ValidateCount(0, 1)).ErrorId);
    }

    [RequiresTgtdFact]
    public async Task Raw_commands_return_rich_results_and_status_errors_carry_them()
    {
        var cache = new SessionCache();
        try
        {
            var session = await target.ConnectDiskAsync(cache);
            var inquiry = await session.Session.ExecuteAsync(ScsiCommandFactory.Create(1, [0x12, 0, 0, 0, 96, 0], 96, null, 10));
            Assert.True(inquiry.IsGood);
            Assert.Equal(0x00, inquiry.Data[0] & 0x1F); // peripheral device type: direct access
            Assert.Null(ScsiCommandFactory.StatusError(inquiry, false));

            // READ(10) of LBA 0xFFFFFFF0 on a 64 MiB LUN: ILLEGAL REQUEST, LBA out of range.
            var past = await session.Session.ExecuteAsync(ScsiCommandFactory.Create(1, [0x28, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 1, 0], 512, null, null));
            var error = ScsiCommandFactory.StatusError(past, false)!;
            Assert.StartsWith("ScsiCheckCondition.", error.ErrorId);
            var mapped = ErrorMapper.Map(error);
            Assert.Same(past, mapped.TargetObject);

            var task = session.Session.Start(ScsiCommandFactory.Create(1, new byte[6], 0, null, null));
            var waited = await TaskWaiter.WaitAsync(task, 10, CancellationToken.None);
            Assert.Equal(task.InitiatorTaskTag, waited.InitiatorTaskTag);
            var reset = await session.Session.LunResetAsync(1);
            Assert.Null(TaskManagementCheck.Error(reset, "LUN 1"));
        }
        finally
        {
            await cache.LogoutAllAsync();
        }
    }
}
