using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A target that never answers a command: the command times out, is aborted on the wire (ABORT TASK
/// naming its ITT), and whatever the target sends for it afterwards is dropped without harming the session.</summary>
public sealed class CommandTimeoutTests
{
    private const byte AbortTask = 1;
    private const byte FunctionComplete = 0;

    private static IscsiSessionOptions ShortTimeout => FakeTarget.Options(o => o.CommandTimeout = TimeSpan.FromMilliseconds(500));

    /// <summary>Swallows the first SCSI command; everything else gets the default answer (unless <paramref name="onAbort"/>).</summary>
    private static FakeScript SilentOnFirstCommand(Func<FakeConnection, ReceivedPdu, Task>? onAbort = null)
    {
        int commands = 0;
        return (c, pdu) => pdu.Opcode switch
        {
            Opcode.ScsiCommand when Interlocked.Increment(ref commands) == 1 => Task.CompletedTask,
            Opcode.TaskManagementRequest when onAbort is not null => onAbort(c, pdu),
            _ => c.AnswerDefaultAsync(pdu),
        };
    }

    [Fact]
    public async Task The_command_times_out_and_is_aborted_and_a_late_tmf_answer_and_response_are_dropped()
    {
        // The target confirms the abort, then (a target that had the response queued) still sends the SCSI Response.
        await using var fake = new FakeTarget(SilentOnFirstCommand(async (c, tmf) =>
        {
            await c.SendTaskManagementResponseAsync(tmf.InitiatorTaskTag, FunctionComplete);
            await c.SendGoodAsync(tmf.TaskManagement.ReferencedTaskTag);
        }));
        await using var session = await fake.ConnectAsync(ShortTimeout);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.Equal("Timeout", error.ErrorId);
        Assert.Equal(TimeSpan.FromMilliseconds(500), error.Timeout);
        Assert.Contains("the target confirmed ABORT TASK, so it did not complete", error.Message);

        var command = fake.Received.First(p => p.Opcode == Opcode.ScsiCommand);
        var abort = await fake.WaitForAsync(Opcode.TaskManagementRequest);
        Assert.Equal(AbortTask, (byte)(abort.Header[1] & 0x7F));
        Assert.True(abort.Immediate);
        Assert.Equal(command.InitiatorTaskTag, abort.TaskManagement.ReferencedTaskTag);
        Assert.Equal(command.CmdSn, abort.TaskManagement.RefCmdSn);

        // The late SCSI Response must not be taken for a hostile PDU.
        await FakeTarget.EventuallyAsync(() => session.Statistics.PdusReceived == fake.PdusSent, "the late response was read");
        Assert.True(session.IsConnected, session.Failure?.Message);
        Assert.True((await session.ExecuteAsync(Commands.Read(512))).IsGood);
        await session.PingAsync();
        Assert.Equal(1, session.Statistics.Timeouts);
        Assert.Equal(1, session.Statistics.Aborts);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task When_neither_the_abort_nor_the_lun_reset_is_answered_the_command_ends_and_the_connection_is_replaced()
    {
        var tmfs = new List<ReceivedPdu>();
        await using var fake = new FakeTarget(SilentOnFirstCommand((c, tmf) => { lock (tmfs) tmfs.Add(tmf); return Task.CompletedTask; }));
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.CommandTimeout = TimeSpan.FromMilliseconds(500);
            o.ReconnectAttempts = 3;
            o.DefaultTime2Wait = 0;
        }));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));
        // command timeout + the abort budget (at least 1 s), which the ABORT TASK and the LUN RESET share
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(5));
        // Nobody confirmed anything: the caller must not be told it was aborted.
        Assert.Contains("neither ABORT TASK nor LOGICAL UNIT RESET was answered within 1 s", error.Message);
        Assert.Contains("whether it ran is unknown", error.Message);
        Assert.DoesNotContain("it was aborted", error.Message);

        // A connection that answers nothing, not even task management, is dropped; the session logs in again.
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.LoggedIn && fake.ConnectionCount == 2, "the session is on a new connection");
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
        var stats = session.Statistics;
        Assert.Equal(3, stats.Timeouts); // the command, its abort, then the LUN RESET it escalated to
        Assert.Equal((1L, 1L), (stats.Aborts, stats.LunResetEscalations));
        Assert.Equal((1L, 1L), (stats.ConnectionLosses, stats.Reconnects));
        lock (tmfs) Assert.Equal([1, 5], tmfs.Select(t => (int)t.TaskManagement.Function)); // ABORT TASK, then LOGICAL UNIT RESET
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task A_target_that_no_longer_has_the_task_leaves_its_outcome_unknown()
    {
        const byte TaskDoesNotExist = 1;
        await using var fake = new FakeTarget(SilentOnFirstCommand((c, tmf) => c.SendTaskManagementResponseAsync(tmf.InitiatorTaskTag, TaskDoesNotExist)));
        await using var session = await fake.ConnectAsync(ShortTimeout);

        var error = await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.ExecuteAsync(Commands.Write(Commands.Pattern(512))).WaitAsync(FakeTarget.Patience));

        Assert.Contains("'task does not exist'", error.Message);
        Assert.Contains("whether it ran is unknown", error.Message);
        Assert.Equal(0, session.Statistics.LunResetEscalations);
    }
}
