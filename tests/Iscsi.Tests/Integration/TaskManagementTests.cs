using System.Diagnostics;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

public abstract class TaskManagementTests(TestTarget target)
{
    [TargetFact]
    public async Task Lun_reset_abort_task_set_clear_task_set_and_warm_reset_complete_and_the_session_stays_usable()
    {
        await using var session = await target.ConnectDiskAsync();
        int lun = target.DiskLun1.Number;
        var abortSet = await session.AbortTaskSetAsync(lun);
        Assert.Equal(TaskManagementResponseCode.FunctionComplete, abortSet.Response);
        var clear = await session.ClearTaskSetAsync(lun);
        Assert.True(clear.Response is TaskManagementResponseCode.FunctionComplete or TaskManagementResponseCode.FunctionNotSupported, clear.ToString());
        var reset = await session.LunResetAsync(lun);
        Assert.Equal(TaskManagementResponseCode.FunctionComplete, reset.Response);
        // After a reset the LUN reports a unit attention once; the session must still work.
        await session.TestUnitReadyAsync(lun);
        Assert.True((await session.TestUnitReadyAsync(lun)).IsGood);
        var warm = await session.TargetWarmResetAsync();
        Assert.True(warm.Response is TaskManagementResponseCode.FunctionComplete or TaskManagementResponseCode.FunctionNotSupported, warm.ToString());
        Assert.True(session.IsConnected);
        await session.PingAsync();
    }

    [TargetFact]
    public async Task Abort_of_a_finished_task_says_the_task_does_not_exist()
    {
        await using var session = await target.ConnectDiskAsync();
        var task = session.Start(new ScsiCommand(target.DiskLun1.Number, Cdb.TestUnitReady()));
        await task.Completion;
        var result = await task.AbortAsync();
        Assert.Equal(TaskManagementResponseCode.TaskDoesNotExist, result.Response);
    }

    [TargetFact]
    public async Task Aborting_tasks_in_flight_ends_each_either_completed_or_aborted_and_the_session_survives()
    {
        await using var session = await target.ConnectDiskAsync();
        var lun = target.DiskNullLun2;
        await session.TestUnitReadyAsync(lun.Number); // takes the new nexus's UNIT ATTENTION
        var tasks = Enumerable.Range(0, 16).Select(i =>
            session.Start(new ScsiCommand(lun.Number, Cdb.Read16((ulong)i * 8192, 8192)) { ExpectedDataInLength = 8192 * lun.BlockSize }))
            .ToArray();
        var aborts = await Task.WhenAll(tasks.Select(t => t.AbortAsync()));
        Assert.All(aborts, a => Assert.True(a.Succeeded, a.ToString()));
        foreach (var t in tasks)
        {
            try
            {
                var r = await t.Completion;
                Assert.True(r.IsGood);
            }
            catch (ScsiCommandAbortedException ex)
            {
                Assert.True(ex.PartialResult.DataInLength >= 0);
            }
        }
        Assert.Equal(0, session.InFlightCount);
        Assert.True((await session.TestUnitReadyAsync(lun.Number)).IsGood || session.IsConnected);
        await session.PingAsync();
    }

    [TargetFact]
    public async Task Cancelling_a_command_aborts_it_reports_what_arrived_and_keeps_the_session()
    {
        await using var session = await target.ConnectDiskAsync();
        var lun = target.DiskNullLun2;
        await session.TestUnitReadyAsync(lun.Number); // takes the new nexus's UNIT ATTENTION
        var buffer = new byte[64 * 1024 * 1024];
        using var cts = new CancellationTokenSource();
        var task = session.ExecuteAsync(new ScsiCommand(lun.Number, Cdb.Read16(0, (uint)(buffer.Length / lun.BlockSize))) { DataIn = buffer }, cts.Token);
        cts.Cancel();
        try
        {
            var r = await task;
            Assert.True(r.IsGood); // it won the race: finished before the abort
        }
        catch (ScsiCommandAbortedException ex)
        {
            Assert.InRange(ex.PartialResult.DataInLength, 0, buffer.Length);
        }
        Assert.True(session.IsConnected);
        Assert.True((await session.TestUnitReadyAsync(lun.Number)).IsGood);
    }

    [TargetFact]
    public async Task Ping_measures_a_round_trip()
    {
        await using var session = await target.ConnectDiskAsync();
        var rtt = await session.PingAsync();
        Assert.True(rtt > TimeSpan.Zero && rtt < TimeSpan.FromSeconds(5), rtt.ToString());
        Assert.True(session.Statistics.NopInReceived >= 1);
    }

    [TargetFact]
    public async Task A_target_that_stops_answering_times_out_and_the_session_recovers_when_it_answers_again()
    {
        var options = TargetSession.Fast();
        options.CommandTimeout = TimeSpan.FromSeconds(1);
        await using var session = await target.ConnectDiskAsync(options);
        using (var process = Process.GetProcessById(target.Pid))
        {
            Signal(target.Pid, "STOP");
            try
            {
                WaitUntilEveryThreadIsStopped(target.Pid);
                var ex = await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.TestUnitReadyAsync(target.DiskLun1.Number));
                Assert.Equal("Timeout", ex.ErrorId);
                Assert.Contains("timed out", ex.Message);
            }
            finally
            {
                Signal(target.Pid, "CONT");
            }
        }
        Assert.True(session.Statistics.Timeouts >= 1);
        // The ABORT TASK got no answer either (the target was stopped), so it was escalated to a LUN RESET.
        Assert.True(session.Statistics.Aborts >= 1);
        Assert.True(session.Statistics.LunResetEscalations >= 1);
        // Neither the abort nor the LUN RESET was answered, so the connection was dropped (a connection nothing comes
        // back on would make every later command wait out its timeout) and the session logs in again once the target
        // answers. Commands issued meanwhile wait for that: give the recovery check a timeout of its own rather than
        // the 1 s used to provoke the timeout. The first answer may be the new nexus's UNIT ATTENTION.
        Assert.True(session.Statistics.ConnectionLosses >= 1);
        ScsiResult? check = null;
        for (int attempt = 0; attempt < 3 && check is not { IsGood: true }; attempt++)
            check = await session.ExecuteAsync(new ScsiCommand(target.DiskLun1.Number, Cdb.TestUnitReady()) { Timeout = TimeSpan.FromSeconds(15) });
        Assert.True(check!.IsGood, check.ToString());
        Assert.True(session.Statistics.Reconnects >= 1);
        Assert.True(session.IsConnected);
    }

    // kill(2) returns once SIGSTOP is queued, not once every thread has stopped: a thread running on the other core
    // (or on a vCPU the host has not scheduled yet) can still answer the next command. CI saw exactly that once, so
    // wait until /proc shows every thread of the target in the stopped state ('T') before sending anything.
    private static void WaitUntilEveryThreadIsStopped(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var states = Directory.GetDirectories($"/proc/{pid}/task").Select(task => ThreadState(Path.Combine(task, "stat"))).ToArray();
            if (states.All(state => state is 'T' or 't'))
                return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"target process {pid} did not stop within 10 s after SIGSTOP (thread states: {new string(states)})");
            Thread.Sleep(10);
        }
    }

    // /proc/<pid>/task/<tid>/stat: "tid (comm) S ...": the state follows the last ')' (comm may contain spaces/parens).
    private static char ThreadState(string statPath)
    {
        try
        {
            var stat = File.ReadAllText(statPath);
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return 'T'; // the thread exited meanwhile: it answers nothing
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
