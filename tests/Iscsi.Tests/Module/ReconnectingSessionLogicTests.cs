using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;
using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>A cached session whose connection is being re-established is still the user's session: the cmdlets' logic
/// hands it out (no SessionClosed), reuses it for Connect-IscsiTarget, and its commands complete once it is back.</summary>
public sealed class ReconnectingSessionLogicTests
{
    [Fact]
    public async Task A_reconnecting_session_is_usable_reusable_and_its_commands_complete_afterwards()
    {
        await using var fake = new FakeTarget();
        var cache = new SessionCache();
        var plan = PlanFor(fake, attempts: 3, time2Wait: 1);
        var info = await SessionConnector.ConnectAsync(cache, plan, CancellationToken.None);
        try
        {
            fake.Connection.Close();
            await FakeTarget.EventuallyAsync(() => info.State == SessionState.Reconnecting, "the session is reconnecting");

            Assert.Same(info, SessionCache.RequireConnected(info));
            Assert.Same(info, await SessionConnector.ConnectAsync(cache, plan, CancellationToken.None));
            var result = await info.Session.ExecuteAsync(new ScsiCommand(0, Cdb.TestUnitReady())).WaitAsync(FakeTarget.Patience);

            Assert.True(result.IsGood);
            Assert.Equal(SessionState.LoggedIn, info.State);
            Assert.Equal(1, info.Statistics.Reconnects);
            Assert.Equal(2, fake.ConnectionCount);
        }
        finally
        {
            await SessionConnector.DisconnectAsync(cache, info, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_session_that_gave_up_is_refused_as_closed_naming_why()
    {
        await using var fake = new FakeTarget();
        var cache = new SessionCache();
        var info = await SessionConnector.ConnectAsync(cache, PlanFor(fake, attempts: 1, time2Wait: 0), CancellationToken.None);
        fake.Settings.RefuseStatusClass = 2;
        fake.Settings.RefuseStatusDetail = 1;
        fake.Connection.Close();
        await FakeTarget.EventuallyAsync(() => info.State == SessionState.Closed, "the session gives up");

        var error = Assert.Throws<IscsiArgumentException>(() => SessionCache.RequireConnected(info));
        Assert.Equal("SessionClosed", error.ErrorId);
        Assert.Contains("ReconnectFailed", info.Session.Failure is IscsiException ie ? ie.ErrorId : "");
        Assert.Contains(info.SessionIdentifier, error.Message);
        await SessionConnector.DisconnectAsync(cache, info, CancellationToken.None);
    }

    /// <summary>What Connect-IscsiTarget would plan for the fake target, with reconnecting set up as given.</summary>
    private static ConnectPlan PlanFor(FakeTarget fake, int attempts, int time2Wait) => new ConnectRequest
    {
        NodeAddress = FakeTarget.TargetName, TargetPortalAddress = FakeTarget.Host, TargetPortalPortNumber = fake.Port,
        Template = FakeTarget.Options(o => { o.ReconnectAttempts = attempts; o.DefaultTime2Wait = time2Wait; }),
    }.Build();
}
