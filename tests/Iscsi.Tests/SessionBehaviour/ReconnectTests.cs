using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>ERL 0 session reinstatement against the fake target, which lets a test drop a connection at an exact
/// point and refuse or accept the login that follows: what is repeated, what fails, in what order the session
/// reports it, and that DefaultTime2Wait, the attempt count and logout are honoured.</summary>
public sealed class ReconnectTests
{
    private static readonly byte[] Pattern = Commands.Pattern(4096);

    private static IscsiSessionOptions Reconnecting(int attempts = 3, int time2Wait = 0) => FakeTarget.Options(o =>
    {
        o.ReconnectAttempts = attempts;
        o.DefaultTime2Wait = time2Wait; // the fake echoes our offer, so this is what is negotiated
        o.ReconnectTimeout = TimeSpan.FromSeconds(20);
    });

    /// <summary>Drops the first connection when its first SCSI command arrives; later connections answer reads with
    /// <see cref="Pattern"/> and everything else as a healthy target.</summary>
    private static FakeScript DropFirstCommand() => async (c, pdu) =>
    {
        if (pdu.Opcode == Opcode.ScsiCommand && c.Index == 0) { c.Close(); return; }
        await AnswerWithPatternAsync(c, pdu);
    };

    private static async Task AnswerWithPatternAsync(FakeConnection c, ReceivedPdu pdu)
    {
        if (pdu.Opcode == Opcode.ScsiCommand && pdu.ScsiCommand is { Read: true, Write: false } read && read.ExpectedDataTransferLength > 0)
        {
            int length = (int)read.ExpectedDataTransferLength;
            await c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, Final = true, HasStatus = true }, Pattern.AsMemory(0, length));
            return;
        }
        await c.AnswerDefaultAsync(pdu);
    }

    private static List<SessionStateChangedEventArgs> Record(IscsiSession session)
    {
        var events = new List<SessionStateChangedEventArgs>();
        session.StateChanged += (_, e) => { lock (events) events.Add(e); };
        return events;
    }

    [Fact]
    public async Task A_read_in_flight_when_the_connection_drops_is_sent_again_on_a_reinstated_session()
    {
        await using var fake = new FakeTarget(DropFirstCommand());
        await using var session = await fake.ConnectAsync(Reconnecting());
        var events = Record(session);
        var buffer = new byte[2048];

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 4)) { DataIn = buffer }).WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(Pattern.AsSpan(0, 2048).ToArray(), buffer);
        Assert.Equal(2, fake.ConnectionCount);
        // Session reinstatement (RFC 7143 6.3.5): the same ISID, TSIH 0.
        var relogin = fake.Connection.LoginRequests[0];
        Assert.Equal(session.Isid, relogin.Isid);
        Assert.Equal(0, relogin.Tsih);
        Assert.Equal(SessionState.LoggedIn, session.State);
        var stats = session.Statistics;
        Assert.Equal((1L, 1L, 1L), (stats.ConnectionLosses, stats.Reconnects, stats.CommandsRepeated));
        await FakeTarget.EventuallyAsync(() => { lock (events) return events.Count == 3; }, "three state events");
        lock (events)
            Assert.Equal([(SessionState.Reconnecting, 0), (SessionState.Reconnecting, 1), (SessionState.LoggedIn, 1)],
                events.Select(e => (e.State, e.Attempt)));
        Assert.Equal(1, events[0].CommandsRepeated);
        Assert.Empty(fake.Violations); // CmdSN discipline holds on the new connection too
    }

    [Fact]
    public async Task A_command_that_is_not_safe_to_repeat_fails_with_the_connection_error_and_the_session_still_reconnects()
    {
        await using var fake = new FakeTarget(DropFirstCommand());
        await using var session = await fake.ConnectAsync(Reconnecting());
        var compareAndWrite = new byte[16];
        compareAndWrite[0] = 0x89;
        compareAndWrite[13] = 1;

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() =>
            session.ExecuteAsync(new ScsiCommand(0, compareAndWrite) { DataOut = new byte[1024] }).WaitAsync(FakeTarget.Patience));

        Assert.Equal("ConnectionLost", error.ErrorId);
        Assert.Contains("not safe to repeat", error.Message);
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.LoggedIn, "the session is logged in again");
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Equal(0, session.Statistics.CommandsRepeated);
    }

    [Fact]
    public async Task RepeatOnReconnect_false_keeps_even_a_read_from_being_sent_twice()
    {
        await using var fake = new FakeTarget(DropFirstCommand());
        await using var session = await fake.ConnectAsync(Reconnecting());

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() =>
            session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 1)) { ExpectedDataInLength = 512, RepeatOnReconnect = false })
                .WaitAsync(FakeTarget.Patience));

        Assert.Equal("ConnectionLost", error.ErrorId);
        Assert.Equal(1, fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand));
    }

    [Fact]
    public async Task A_login_refusal_that_retrying_cannot_change_closes_the_session_after_one_attempt()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && c.Index == 0)
            {
                c.Settings.RefuseStatusClass = 2; // initiator error: authorization failure
                c.Settings.RefuseStatusDetail = 2;
                c.Close();
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(Reconnecting(attempts: 5));
        var events = Record(session);

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() =>
            session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("ReconnectFailed", error.ErrorId);
        Assert.Contains("1 attempt(s)", error.Message);
        Assert.IsType<IscsiLoginException>(error.InnerException);
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Same(error, session.Failure);
        Assert.Equal(2, fake.ConnectionCount);
        await FakeTarget.EventuallyAsync(() => { lock (events) return events.Any(e => e.State == SessionState.Closed); }, "a Closed event");
        var closedError = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ExecuteAsync(Commands.TestUnitReady()));
        Assert.Equal("ReconnectFailed", closedError.ErrorId);
    }

    [Fact]
    public async Task A_target_that_stays_busy_gets_exactly_the_configured_attempts()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && c.Index == 0)
            {
                c.Settings.RefuseStatusClass = 3; // target error: service unavailable, worth retrying
                c.Settings.RefuseStatusDetail = 1;
                c.Close();
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(Reconnecting(attempts: 2));

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() =>
            session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("ReconnectFailed", error.ErrorId);
        Assert.Contains("2 attempt(s)", error.Message);
        Assert.Equal(3, fake.ConnectionCount);
        Assert.Equal(2, session.Statistics.ReconnectFailures);
    }

    [Fact]
    public async Task The_first_attempt_waits_DefaultTime2Wait_and_commands_started_meanwhile_run_afterwards()
    {
        await using var fake = new FakeTarget((c, pdu) => AnswerWithPatternAsync(c, pdu));
        await using var session = await fake.ConnectAsync(Reconnecting(time2Wait: 1));
        Assert.Equal(1, session.Negotiated.DefaultTime2Wait);

        var dropped = Stopwatch.StartNew();
        fake.Connection.Close();
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.Reconnecting, "the session is reconnecting");
        var buffer = new byte[512];
        var read = session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 1)) { DataIn = buffer });

        var result = await read.WaitAsync(FakeTarget.Patience);
        Assert.True(result.IsGood);
        Assert.Equal(Pattern.AsSpan(0, 512).ToArray(), buffer);
        Assert.True(dropped.Elapsed >= TimeSpan.FromSeconds(0.95), $"reconnected after {dropped.Elapsed.TotalSeconds:0.###} s, before DefaultTime2Wait (1 s)");
        Assert.Equal(2, fake.ConnectionCount);
        Assert.Equal(0, session.Statistics.CommandsRepeated); // it had not been sent: it simply went out on the new connection
    }

    [Fact]
    public async Task Logging_out_during_a_reconnect_stops_it_and_fails_the_waiting_commands()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(Reconnecting(time2Wait: 30));
        fake.Connection.Close();
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.Reconnecting, "the session is reconnecting");
        var waiting = session.ExecuteAsync(Commands.TestUnitReady());

        await session.LogoutAsync().WaitAsync(FakeTarget.Patience);

        Assert.Equal(SessionState.Closed, session.State);
        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => waiting.WaitAsync(FakeTarget.Patience));
        Assert.Equal("SessionClosed", error.ErrorId);
        Assert.Equal(1, fake.ConnectionCount);
    }

    [Fact]
    public async Task A_command_that_outlives_its_timeout_while_waiting_for_the_reconnect_says_so()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(Reconnecting(time2Wait: 30));
        fake.Connection.Close();
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.Reconnecting, "the session is reconnecting");

        var error = await Assert.ThrowsAsync<IscsiTimeoutException>(() =>
            session.ExecuteAsync(new ScsiCommand(0, Cdb.TestUnitReady()) { Timeout = TimeSpan.FromMilliseconds(300) }).WaitAsync(FakeTarget.Patience));

        Assert.Contains("waiting for the session to reconnect", error.Message);
        Assert.Equal(SessionState.Reconnecting, session.State);
    }

    [Fact]
    public async Task The_session_timeout_pauses_while_the_session_reconnects()
    {
        // CommandTimeout 300 ms, an outage of about a second (Time2Wait 1): a command on the session's timeout waits
        // for the reconnect (ReconnectTimeout bounds the outage) and completes; one with its own 300 ms does not.
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.ReconnectAttempts = null;
            o.ReconnectTimeout = TimeSpan.FromSeconds(20);
            o.DefaultTime2Wait = 1;
            o.CommandTimeout = TimeSpan.FromMilliseconds(300);
        }));
        fake.Connection.Close();
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.Reconnecting, "the session is reconnecting");

        var onSessionTimeout = session.ExecuteAsync(Commands.TestUnitReady());
        var onOwnTimeout = session.ExecuteAsync(new ScsiCommand(0, Cdb.TestUnitReady()) { Timeout = TimeSpan.FromMilliseconds(300) });

        await Assert.ThrowsAsync<IscsiTimeoutException>(() => onOwnTimeout.WaitAsync(FakeTarget.Patience));
        Assert.True((await onSessionTimeout.WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Equal(1, session.Statistics.Reconnects);
        Assert.Equal(0, fake.Received.Count(p => p.ConnectionIndex == 0 && p.Opcode == Opcode.ScsiCommand));
    }

    [Fact]
    public async Task With_reconnecting_off_a_lost_connection_closes_the_session()
    {
        await using var fake = new FakeTarget(DropFirstCommand());
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.ReconnectAttempts = 0));

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("ConnectionClosed", error.ErrorId); // the target closed it: the reason itself, not wrapped
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Equal(1, fake.ConnectionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_data_digest_error_is_repaired_by_sending_a_repeatable_command_again_and_fails_one_that_is_not(bool repeatable)
    {
        int reads = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) { await c.AnswerDefaultAsync(pdu); return; }
            if (Interlocked.Increment(ref reads) == 1)
                await SendDataInWithBadDataDigestAsync(c, pdu.InitiatorTaskTag, Pattern.AsMemory(0, 512));
            else
                await AnswerWithPatternAsync(c, pdu);
        }, new FakeTargetSettings { DataDigest = true });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.DataDigest = true));
        Assert.True(session.Negotiated.DataDigest);
        var buffer = new byte[512];
        var read = session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 1)) { DataIn = buffer, RepeatOnReconnect = repeatable });

        if (repeatable)
        {
            var result = await read.WaitAsync(FakeTarget.Patience);
            Assert.True(result.IsGood);
            Assert.Equal(Pattern.AsSpan(0, 512).ToArray(), buffer);
            Assert.Equal((1L, 1L), (session.Statistics.DigestErrors, session.Statistics.CommandsRepeated));
        }
        else
        {
            var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => read.WaitAsync(FakeTarget.Patience));
            Assert.Equal("DataDigestError", error.ErrorId);
            Assert.Equal(1, reads);
        }
        Assert.Equal(1, fake.ConnectionCount);
        Assert.True(session.IsConnected);
    }

    /// <summary>A Data-In with status whose data digest does not match its data (the fake itself always sends good digests).</summary>
    private static Task SendDataInWithBadDataDigestAsync(FakeConnection c, uint itt, ReadOnlyMemory<byte> data)
    {
        var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
        var bhs = new byte[Bhs.Length];
        new DataIn
        {
            InitiatorTaskTag = itt, Final = true, HasStatus = true, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
            DataSegmentLength = data.Length,
        }.WriteTo(bhs);
        var pdu = new byte[Bhs.Length + PduLayout.PadTo4(data.Length) + Crc32C.DigestLength];
        bhs.CopyTo(pdu, 0);
        data.Span.CopyTo(pdu.AsSpan(Bhs.Length));
        uint good = Crc32C.Compute(pdu.AsSpan(Bhs.Length, PduLayout.PadTo4(data.Length)));
        Crc32C.WriteDigest(pdu.AsSpan(pdu.Length - Crc32C.DigestLength), good ^ 0x10);
        return c.SendRawAsync(pdu);
    }

    [Theory]
    [InlineData(-1, "-1 µs")]
    [InlineData(10_001, "10001 µs")]
    public async Task A_receive_spin_out_of_range_is_refused_before_connecting(int microseconds, string named)
    {
        var options = FakeTarget.Options(o => o.ReceiveSpin = TimeSpan.FromMicroseconds(microseconds));
        var error = await Assert.ThrowsAsync<IscsiArgumentException>(() => IscsiSession.ConnectAsync("127.0.0.1", 1, FakeTarget.TargetName, options));
        Assert.Equal("ReceiveSpinInvalid", error.ErrorId);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(-1, 120, "ReconnectAttemptsInvalid", "-1")]
    [InlineData(3, 0, "ReconnectTimeoutInvalid", "00:00:00")]
    public async Task Reconnect_options_out_of_range_are_refused_before_connecting(int attempts, int timeoutSeconds, string errorId, string named)
    {
        var options = FakeTarget.Options(o =>
        {
            o.ReconnectAttempts = attempts;
            o.ReconnectTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        });
        var error = await Assert.ThrowsAsync<IscsiArgumentException>(() => IscsiSession.ConnectAsync("127.0.0.1", 1, FakeTarget.TargetName, options));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task A_target_that_drops_every_new_connection_before_answering_cannot_keep_the_session_reconnecting()
    {
        // Every login succeeds, every command kills its connection: the attempts of one outage carry over to the
        // next while no command completes, so the session gives up after ReconnectAttempts logins in all.
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand) { c.Close(); return; }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(Reconnecting(attempts: 2));

        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("ReconnectFailed", error.ErrorId);
        Assert.Contains("whose connections failed before any command completed", error.Message);
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Equal(3, fake.ConnectionCount); // the first connection and two logins
        Assert.Equal(2, session.Statistics.Reconnects);
    }
}
