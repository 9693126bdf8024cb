using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A protocol violation on a session that reconnects is not a lost connection: the command whose own exchange
/// broke the rules fails with the violation's ErrorId and is never sent again; when the violation names no command in
/// flight, none is sent again. Other commands follow the reconnect as usual.</summary>
public sealed class ProtocolViolationTests
{
    private static IscsiSessionOptions Reconnecting() => FakeTarget.Options(o =>
    {
        o.ReconnectAttempts = null;
        o.ReconnectTimeout = TimeSpan.FromSeconds(20);
        o.DefaultTime2Wait = 0;
    });

    private static int CommandsWithCdb(FakeTarget fake, byte opcode)
        => fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] == opcode);

    [Fact]
    public async Task The_command_whose_data_in_overran_fails_with_that_error_and_is_not_sent_again()
    {
        // On the first connection: the READ(10) gets a Data-In past its length; the TEST UNIT READY waits unanswered.
        var tur = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (c.Index == 0 && pdu.Opcode == Opcode.ScsiCommand)
            {
                if (pdu.ScsiCommand.Cdb.Span[0] == 0x00) { tur.TrySetResult(); return; }
                await tur.Task;
                await c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag }, new byte[1024]);
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(Reconnecting());

        var waiting = session.ExecuteAsync(Commands.TestUnitReady());
        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("DataInBeyondExpectedLength", error.ErrorId);
        Assert.True((await waiting.WaitAsync(FakeTarget.Patience)).IsGood); // the innocent command was sent again
        Assert.Equal(1, CommandsWithCdb(fake, 0x28)); // the READ(10) went out once
        Assert.Equal(2, CommandsWithCdb(fake, 0x00));
        Assert.Equal(1, session.Statistics.Reconnects);
    }

    [Fact]
    public async Task A_violation_that_names_no_command_in_flight_fails_them_all_with_its_error()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (c.Index == 0 && pdu.Opcode == Opcode.ScsiCommand)
            {
                await c.SendGoodAsync(pdu.InitiatorTaskTag ^ 0x00F00000); // an answer for a task nobody sent
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync(Reconnecting());

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() =>
            session.ExecuteAsync(Commands.Write(Commands.Pattern(512))).WaitAsync(FakeTarget.Patience));

        Assert.Equal("UnknownTaskTag", error.ErrorId);
        Assert.Contains("was not sent again", error.Message);
        Assert.Equal(1, CommandsWithCdb(fake, 0x2A));
        await FakeTarget.EventuallyAsync(() => session.State == SessionState.LoggedIn && session.Statistics.Reconnects == 1, "the reconnect");
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
    }

    [Fact]
    public async Task A_header_digest_error_is_damage_on_the_way_and_its_command_is_repeated()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (c.Index == 0 && pdu.Opcode == Opcode.ScsiCommand)
            {
                var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
                await c.SendPduAsync(b => new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(b),
                    corruptHeaderDigest: true);
                return;
            }
            await c.AnswerDefaultAsync(pdu);
        }, new FakeTargetSettings { HeaderDigest = true });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.HeaderDigest = true;
            o.ReconnectAttempts = null;
            o.ReconnectTimeout = TimeSpan.FromSeconds(20);
            o.DefaultTime2Wait = 0;
        }));

        var result = await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood);
        Assert.Equal(2, CommandsWithCdb(fake, 0x00));
    }
}
