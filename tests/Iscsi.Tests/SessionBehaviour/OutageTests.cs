using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>How long a session rides out an outage (ReconnectTimeout is the budget, with a last attempt at its end and no
/// attempt count unless asked), and the idle keepalive that finds a dead path without waiting for a command.</summary>
public sealed class OutageTests
{
    private static List<SessionStateChangedEventArgs> Record(IscsiSession session)
    {
        var events = new List<SessionStateChangedEventArgs>();
        session.StateChanged += (_, e) => { lock (events) events.Add(e); };
        return events;
    }

    [Fact]
    public async Task Attempts_are_spread_over_the_whole_budget_with_the_last_one_at_its_end()
    {
        // The first command drops the connection; every login after that is refused with a retryable "target error".
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && c.Index == 0)
            {
                c.Settings.RefuseStatusClass = 3;
                c.Settings.RefuseStatusDetail = 1; // service unavailable
                c.Close();
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        });
        var budget = TimeSpan.FromSeconds(3);
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.ReconnectAttempts = null; // no count: the budget decides
            o.ReconnectTimeout = budget;
            o.DefaultTime2Wait = 0;
        }));
        var events = Record(session);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("ReconnectFailed", error.ErrorId);
        List<SessionStateChangedEventArgs> attempts;
        lock (events) attempts = events.Where(e => e.State == SessionState.Reconnecting && e.Attempt > 0).ToList();
        // Backing off 0, 0.25, 0.5, 1 s... and then, as the next wait would pass the budget, one more at its end.
        var last = attempts[^1];
        Assert.InRange((last.Elapsed + last.Delay).TotalSeconds, budget.TotalSeconds - 0.05, budget.TotalSeconds + 0.05);
        Assert.True(watch.Elapsed >= budget, $"gave up after {watch.Elapsed}, before the {budget} budget ended");
        Assert.Equal(attempts.Count, fake.ConnectionCount - 1); // every announced attempt was made
        Assert.Contains($"{attempts.Count} attempt(s)", error.Message);
        Assert.DoesNotContain(" of at most", last.Message);
    }

    [Fact]
    public async Task A_silent_connection_is_found_by_a_keepalive_ping_while_the_session_is_idle()
    {
        // The first connection stops answering anything after the login; later ones are healthy.
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (c.Index == 0) return;
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.KeepaliveInterval = TimeSpan.FromMilliseconds(300);
            o.KeepaliveTimeout = TimeSpan.FromMilliseconds(300);
            o.ReconnectAttempts = null;
            o.ReconnectTimeout = TimeSpan.FromSeconds(20);
            o.DefaultTime2Wait = 0;
        }));
        var events = Record(session);

        // No command is sent: only the keepalive can notice.
        await FakeTarget.EventuallyAsync(() => { lock (events) return events.Any(e => e.State == SessionState.LoggedIn); }, "a reconnect");

        SessionStateChangedEventArgs lost;
        lock (events) lost = events.First(e => e.State == SessionState.Reconnecting);
        Assert.Contains("keepalive NOP-Out", lost.Message);
        Assert.Contains(fake.Received, p => p.Opcode == Opcode.NopOut && p.ConnectionIndex == 0);
        Assert.Equal(1, session.Statistics.Reconnects);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
    }

    [Fact]
    public async Task A_healthy_idle_connection_answers_its_keepalives_and_stays()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.KeepaliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepaliveTimeout = TimeSpan.FromSeconds(2);
        }));

        await FakeTarget.EventuallyAsync(() => session.Statistics.KeepalivePings >= 2, "two keepalive pings");

        Assert.Equal(SessionState.LoggedIn, session.State);
        Assert.Equal(0, session.Statistics.ConnectionLosses);
        Assert.All(fake.Received.Where(p => p.Opcode == Opcode.NopOut), p => Assert.True(p.Immediate));
    }

    [Fact]
    public async Task Keepalives_are_off_with_a_zero_interval()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.KeepaliveInterval = TimeSpan.Zero));
        await Task.Delay(500);
        Assert.DoesNotContain(fake.Received, p => p.Opcode == Opcode.NopOut);
    }
}
