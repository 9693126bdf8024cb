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
        Task<Iscsi.Scsi.ScsiResult>? second = null;
        bool secondArrivedWhileBlocked = false;
        // Attached before the second command exists, so the first cannot have completed yet (the target answers
        // only once it holds both). ExecuteSynchronously: the continuation runs wherever the first task is
        // completed, unless the task forbids that.
        var observed = first.ContinueWith(_ => secondArrivedWhileBlocked = second!.Wait(TimeSpan.FromMilliseconds(inline ? 300 : 5000)),
            TaskContinuationOptions.ExecuteSynchronously);
        second = session.ExecuteAsync(Commands.TestUnitReady());
        await observed.WaitAsync(FakeTarget.Patience);

        // Off: the continuation blocked a pool thread while the receive loop went on and completed the second command.
        // On: it blocked the receive loop itself, so the second answer could not be read until it returned.
        Assert.Equal(!inline, secondArrivedWhileBlocked);
        Assert.True((await first).IsGood);
        Assert.True((await second.WaitAsync(FakeTarget.Patience)).IsGood);
    }
}
