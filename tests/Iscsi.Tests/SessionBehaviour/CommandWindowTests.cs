using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>The CmdSN window (RFC 7143 4.2.2.1): never a CmdSN beyond the MaxCmdSN the target advertised,
/// CmdSNs consecutive, and commands held back (not failed) while the window is closed.</summary>
public sealed class CommandWindowTests
{
    [Fact]
    public async Task Twenty_concurrent_commands_through_a_two_slot_window_opened_one_slot_per_response()
    {
        int outstanding = 0, mostOutstanding = 0;
        var answers = new List<Task>();
        await using var fake = new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) return c.AnswerDefaultAsync(pdu);
            int now = Interlocked.Increment(ref outstanding);
            InterlockedMax(ref mostOutstanding, now);
            lock (answers)
                answers.Add(Task.Run(async () =>
                {
                    await Task.Delay(Random.Shared.Next(2, 15));
                    Interlocked.Decrement(ref outstanding);
                    c.OpenWindow(1); // one slot more, announced by the response itself
                    await c.SendGoodAsync(pdu.InitiatorTaskTag);
                }));
            return Task.CompletedTask;
        }, new FakeTargetSettings { InitialCommandWindow = 2, SlidingCommandWindow = null });
        await using var session = await fake.ConnectAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => session.ExecuteAsync(Commands.TestUnitReady())))).WaitAsync(FakeTarget.Patience);

        Assert.All(results, r => Assert.True(r.IsGood, r.ToString()));
        Assert.Empty(fake.Violations); // no CmdSN beyond MaxCmdSN, none skipped or repeated
        Assert.InRange(mostOutstanding, 1, 2);
        var cmdSns = fake.Received.Where(p => p.Opcode == Opcode.ScsiCommand).Select(p => p.CmdSn).ToArray();
        Assert.Equal(20, cmdSns.Length);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => cmdSns[0] + (uint)i), cmdSns); // consecutive, in arrival order
        Assert.Equal(cmdSns.Order(), results.Select(r => r.CmdSn).Order());
        Assert.Equal(0, session.InFlightCount);
    }

    [Fact]
    public async Task A_closed_window_holds_commands_back_until_a_nop_in_opens_it()
    {
        // MaxCmdSN = ExpCmdSN - 1 at login: nothing may be sent.
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { InitialCommandWindow = 0, SlidingCommandWindow = null });
        await using var session = await fake.ConnectAsync();
        var connection = fake.Connection;
        Assert.Equal(connection.ExpCmdSn - 1, connection.MaxCmdSn);

        var first = session.ExecuteAsync(Commands.TestUnitReady());
        var second = session.ExecuteAsync(Commands.Read(512));
        await Task.Delay(300);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.DoesNotContain(fake.Received, p => p.Opcode == Opcode.ScsiCommand);
        Assert.Equal(2, session.InFlightCount);

        connection.MaxCmdSn = connection.ExpCmdSn; // one slot
        await connection.SendWindowUpdateAsync();
        Assert.True((await first.WaitAsync(FakeTarget.Patience)).IsGood);
        await Task.Delay(100);
        Assert.False(second.IsCompleted); // the response to the first left MaxCmdSN where it was

        connection.OpenWindow(1);
        await connection.SendWindowUpdateAsync();
        Assert.Equal(512, (await second.WaitAsync(FakeTarget.Patience)).DataInLength);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task A_window_update_that_would_shrink_or_is_invalid_is_ignored()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { InitialCommandWindow = 4, SlidingCommandWindow = null });
        await using var session = await fake.ConnectAsync();
        var connection = fake.Connection;
        uint max = connection.MaxCmdSn;

        // MaxCmdSN far behind ExpCmdSN (RFC 7143 4.2.2.1: MaxCmdSN + 1 < ExpCmdSN is invalid and must be ignored).
        connection.MaxCmdSn = connection.ExpCmdSn - 100;
        await connection.SendWindowUpdateAsync();
        connection.MaxCmdSn = max;
        for (int i = 0; i < 4; i++)
            Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Empty(fake.Violations);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
