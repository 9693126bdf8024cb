using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>IscsiSessionOptions.InlineCompletions: off, a command's continuation never runs on the session's receive
/// loop (a caller that blocks there could stall the session); on, it does (one thread hand-off less per command).
/// Observed by behaviour, not by stack traces (Release builds inline frames): the target answers two commands back
/// to back, and the first command's continuation waits for the second's answer.</summary>
public sealed class InlineCompletionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_continuation_runs_on_the_receive_loop_only_when_asked(bool inline)
    {
        var held = new List<ReceivedPdu>();
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand)
            {
                await c.AnswerDefaultAsync(pdu);
                return;
            }
            ReceivedPdu[] both;
            lock (held)
            {
                held.Add(pdu);
                if (held.Count < 2) return;
                both = held.ToArray();
            }
            foreach (var p in both) await c.SendGoodAsync(p.InitiatorTaskTag); // first, then second, back to back
        });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.InlineCompletions = inline));

        var first = session.ExecuteAsync(Commands.TestUnitReady());
        await fake.WaitForAsync(Opcode.ScsiCommand);
        // The second command's task, handed over when ExecuteAsync returns: the answers can arrive before that.
        var secondStarted = new TaskCompletionSource<Task<Iscsi.Scsi.ScsiResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool secondArrivedWhileBlocked = false;
        // Attached before the second command exists, so the first cannot have completed yet (the target answers
        // only once it holds both). ExecuteSynchronously: the continuation runs wherever the first task is
        // completed, unless the task forbids that.
        var observed = first.ContinueWith(_ => secondArrivedWhileBlocked = secondStarted.Task.GetAwaiter().GetResult().Wait(TimeSpan.FromMilliseconds(inline ? 300 : 5000)),
            TaskContinuationOptions.ExecuteSynchronously);
        var second = session.ExecuteAsync(Commands.TestUnitReady());
        secondStarted.SetResult(second);
        await observed.WaitAsync(FakeTarget.Patience);

        // Off: the continuation blocked a pool thread while the receive loop went on and completed the second command.
        // On: it blocked the receive loop itself, so the second answer could not be read until it returned.
        Assert.Equal(!inline, secondArrivedWhileBlocked);
        Assert.True((await first).IsGood);
        Assert.True((await second.WaitAsync(FakeTarget.Patience)).IsGood);
    }

    [Fact]
    public async Task The_receive_loop_runs_on_a_thread_of_its_own_not_on_the_thread_pool()
    {
        // Its reads wait in poll on the thread that calls them (PolledSocketStream): a pool thread parked there would
        // be taken from everything else. An inline continuation runs on that thread, which makes it observable.
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand) await answer.Task; // held until the continuation is attached
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.InlineCompletions = true));

        var command = session.ExecuteAsync(Commands.TestUnitReady());
        // Attached to a task that is not complete yet, so it runs where the task completes (not on this thread).
        var observed = command.ContinueWith(
            _ => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), TaskContinuationOptions.ExecuteSynchronously);
        Assert.False(command.IsCompleted);
        answer.SetResult();
        var (onPool, name) = await observed.WaitAsync(FakeTarget.Patience);

        Assert.False(onPool);
        Assert.StartsWith("iSCSI receive 127.0.0.1:", name);
    }

    [Fact]
    public async Task Commands_started_by_inline_continuations_are_all_sent_when_the_receive_loop_writes_them_together()
    {
        // Each continuation starts its channel's next request from inside the receive loop; those sends are
        // deferred to one write per burst. None may be left behind: every request must reach the target.
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.InlineCompletions = true));
        const int channels = 16, perChannel = 100;
        var workers = Enumerable.Range(0, channels).Select(async w =>
        {
            var channel = new Iscsi.Scsi.BlockIoChannel(session, 0, 512);
            var buffer = new byte[1024];
            for (int i = 0; i < perChannel; i++)
            {
                var result = i % 3 == 0
                    ? await channel.WriteAsync((ulong)(w * 1000 + i), buffer)
                    : await channel.ReadAsync((ulong)(w * 1000 + i), 2, buffer);
                Assert.True(result.IsGood, result.ToString());
            }
        });
        await Task.WhenAll(workers).WaitAsync(FakeTarget.Patience);

        // Plus one READ CAPACITY(16): the 16 first writers share the session's one learning of the LU's identity.
        Assert.Equal(channels * perChannel, fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] != 0x9E));
        Assert.Equal(1, fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] == 0x9E));
        Assert.Equal(0, session.InFlightCount);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
    }
}
