using Iscsi.Discovery;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>Portal failover against tgtd: two forwarding proxies stand for two portals of one target. The session logs
/// in through the first; when that portal goes away for good, the reconnect tries it, then the alternate, and the
/// session carries on there, reads and writes included.</summary>
[Collection(TgtdCollection.Name)]
public sealed class PortalFailoverTests(TgtdTarget target)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [RequiresTgtdFact]
    public async Task When_the_portal_in_use_goes_away_the_session_moves_to_the_alternate_one()
    {
        var lun = target.DiskLun1;
        var first = new FaultProxy(target.Host, target.Port);
        await using var second = new FaultProxy(target.Host, target.Port);
        var options = TargetSession.Fast();
        options.ReconnectTimeout = TimeSpan.FromSeconds(30);
        options.DefaultTime2Wait = 0;
        options.AlternatePortals = [new TargetPortal(second.Host, second.Port, 1)];
        await using var session = await IscsiSession.ConnectAsync(first.Host, first.Port, target.DiskIqn, options);
        var states = new List<SessionStateChangedEventArgs>();
        session.StateChanged += (_, e) => { lock (states) states.Add(e); };
        var data = TargetSession.RandomBytes(64 * 1024, 71);
        const ulong Lba = 100_000;
        Assert.True((await session.WriteBlocksAsync(lun.Number, Lba, lun.BlockSize, data).WaitAsync(Bound)).IsGood);

        await first.DisposeAsync(); // the portal is gone: its connection drops and nothing listens there any more
        var back = new byte[data.Length];
        var read = await session.ReadBlocksAsync(lun.Number, Lba, data.Length / lun.BlockSize, lun.BlockSize, back).WaitAsync(Bound);

        Assert.True(read.IsGood, read.ToString());
        Assert.Equal(data, back);
        Assert.Equal((second.Host, second.Port), (session.TargetHost, session.TargetPort));
        Assert.Equal(1, session.Statistics.Reconnects);
        lock (states)
        {
            Assert.Contains(states, e => e.Message.Contains($"{first.Host}:{first.Port} again")); // the portal it was on, first
            Assert.Contains(states, e => e.State == SessionState.LoggedIn && e.Message.Contains($":{second.Port}"));
        }
        Assert.True(second.ConnectionsAccepted >= 1);
    }
}
