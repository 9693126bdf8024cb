using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Sequence numbers that make no sense (RFC 7143 4.2.2): a StatSN below ExpStatSN must not move ExpStatSN
/// backwards (the initiator acknowledges status with it), and ExpCmdSN/MaxCmdSN with MaxCmdSN &lt; ExpCmdSN - 1, or
/// moving backwards, are ignored: the window stays as it was and commands keep flowing.</summary>
public sealed class HostileSequenceNumberTests
{
    [Fact]
    public async Task A_statsn_going_backwards_does_not_move_expstatsn_backwards()
    {
        int commands = 0;
        uint highest = 0;
        await using var fake = new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) return c.AnswerDefaultAsync(pdu);
            int n = Interlocked.Increment(ref commands);
            if (n == 1) highest = c.StatSn; // the StatSN of the first answer
            if (n != 2) return c.SendGoodAsync(pdu.InitiatorTaskTag);
            // The second answer claims a StatSN 0x50 below the one before it.
            var (_, exp, max) = c.TakeNumbers(advanceStatSn: false);
            return c.SendPduAsync(b => new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, StatSn = highest - 0x50, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(b));
        });
        await using var session = await fake.ConnectAsync();

        for (int i = 0; i < 3; i++)
            Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);

        var third = fake.Received.Where(p => p.Opcode == Opcode.ScsiCommand).ElementAt(2);
        Assert.Equal(highest + 1, third.ExpStatSn); // acknowledges the first answer, not the backwards one
        await session.PingAsync();
        Assert.True(session.IsConnected);
        Assert.Empty(fake.Violations);
    }

    [Theory]
    [InlineData(0xFFFFFFF5u)] // MaxCmdSN = ExpCmdSN - 11: below ExpCmdSN - 1, the RFC says ignore the PDU's numbers
    [InlineData(0xFFFFFFFEu)] // MaxCmdSN = ExpCmdSN - 2: the first value that is below
    [InlineData(0x80000000u)] // half the serial space away: "less than" ExpCmdSN - 1 in RFC 1982 terms
    public async Task Maxcmdsn_below_expcmdsn_minus_one_is_ignored(uint maxMinusExp)
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);

        var c = fake.Connection;
        uint exp = c.ExpCmdSn;
        await c.SendPduAsync(b => new NopIn
        {
            InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = Bhs.ReservedTag, StatSn = c.StatSn,
            ExpCmdSn = exp + 1000, MaxCmdSn = unchecked(exp + 1000 + maxMinusExp),
        }.WriteTo(b));
        await session.PingAsync(); // immediate, so outside the window: answered once the NOP-In before it has been read

        // Applied, ExpCmdSN +1000 would leave our next CmdSN outside the window and every command would wait.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.ExecuteAsync(Commands.TestUnitReady())))
            .WaitAsync(FakeTarget.Patience);
        Assert.All(results, r => Assert.True(r.IsGood));
        Assert.Empty(fake.Violations);
        Assert.True(session.IsConnected);
    }

    [Fact]
    public async Task Maxcmdsn_moving_backwards_is_ignored()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { SlidingCommandWindow = null, InitialCommandWindow = 8 });
        await using var session = await fake.ConnectAsync();
        var c = fake.Connection;
        // A valid window [ExpCmdSN, ExpCmdSN + 7] shrunk to one slot: RFC 7143 4.2.2.1 lets MaxCmdSN only grow.
        await c.SendPduAsync(b => new NopIn
        {
            InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = Bhs.ReservedTag, StatSn = c.StatSn, ExpCmdSn = c.ExpCmdSn, MaxCmdSn = c.ExpCmdSn,
        }.WriteTo(b));
        await session.PingAsync(); // the NOP-In has been read once the ping is answered

        // Eight commands fit the window the target first opened; none waits for the shrunk one.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.ExecuteAsync(Commands.TestUnitReady())))
            .WaitAsync(FakeTarget.Patience);
        Assert.All(results, r => Assert.True(r.IsGood));
        Assert.Empty(fake.Violations);
    }
}
