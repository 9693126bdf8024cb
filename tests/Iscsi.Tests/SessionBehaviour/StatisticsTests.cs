using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>The session counters move by exactly the events the fake produced.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public async Task Counters_count_commands_pdus_rejects_async_messages_timeouts_aborts_and_nop_ins()
    {
        int commands = 0;
        await using var fake = new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) return c.AnswerDefaultAsync(pdu);
            return Interlocked.Increment(ref commands) switch
            {
                2 => c.SendRejectAsync(pdu, RejectReason.ProtocolError),
                3 => Task.CompletedTask, // never answered: times out, then ABORT TASK (answered by default)
                _ => c.AnswerDefaultAsync(pdu),
            };
        });
        // 3 s, not less: the ABORT TASK that follows the timeout is bounded by the same figure (at least 1 s), and
        // under a loaded full-suite run a 1 s bound occasionally expired before the fake's answer was read,
        // counting a second timeout.
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.CommandTimeout = TimeSpan.FromSeconds(3)));
        var start = session.Statistics;
        Assert.Equal(0, start.CommandsSent);
        Assert.Equal(2, start.PdusReceived); // the two login responses
        Assert.Equal(2, start.PdusSent);

        Assert.Equal(1000, (await session.ExecuteAsync(Commands.Read(1000))).DataInLength);
        await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.TestUnitReady()));
        await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.ExecuteAsync(Commands.TestUnitReady()));
        await fake.Connection.SendAsyncMessageAsync(new AsyncMessage { AsyncEvent = 0xFF, AsyncVCode = 7 });
        await fake.Connection.SendNopInAsync(new NopIn { InitiatorTaskTag = 0xFFFFFFFF, TargetTransferTag = 0x51 });
        await fake.WaitForAsync(p => p.Opcode == Opcode.NopOut, "the ping answer");
        await FakeTarget.EventuallyAsync(() => session.Statistics.PdusReceived == fake.PdusSent, "every PDU was read");

        var s = session.Statistics;
        Assert.Equal(3, s.CommandsSent);
        Assert.Equal(3, s.CommandsCompleted); // ended one way or another
        Assert.Equal(1, s.Rejects);
        Assert.Equal(1, s.AsyncMessages);
        Assert.Equal(1, s.Timeouts);
        Assert.Equal(1, s.Aborts);
        Assert.Equal(1, s.NopInReceived);
        Assert.Equal(1000, s.DataInBytes);
        Assert.Equal(0, s.DataOutBytes);
        Assert.Equal(0, s.DigestErrors);
        // login responses, Data-In, Reject, TMF response, async message, NOP-In
        Assert.Equal(7, s.PdusReceived);
        // login requests, 3 commands, ABORT TASK, NOP-Out
        Assert.Equal(2 + fake.Received.Count, s.PdusSent);
        Assert.Equal(7, s.PdusSent);
        Assert.True(s.BytesReceived >= 7 * 48 + 1000);
        Assert.Empty(fake.Violations);
    }
}
