using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A target flooding the initiator with NOP-Ins: 20,000 that want no answer and 2,000 pings that do,
/// in one burst. Every ping is answered, the command behind the flood completes, memory stays bounded.</summary>
[Collection(AllocationMeasurementCollection.Name)]
public sealed class NopInFloodTests
{
    private const int Unsolicited = 20_000;
    private const int Pings = 2_000;

    [Fact]
    public async Task A_nop_in_flood_is_absorbed_every_ping_answered_and_the_session_stays_usable()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Interlocked.Increment(ref commands) == 1)
                await c.SendRawAsync(Flood(c));
            if (pdu.Opcode == Opcode.NopOut && pdu.InitiatorTaskTag == Bhs.ReservedTag) return; // an answer to one of our pings
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();
        long before = GC.GetTotalMemory(forceFullCollection: true);

        var result = await session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience);
        Assert.True(result.IsGood, result.ToString());
        await FakeTarget.EventuallyAsync(() => fake.Received.Count(p => p.Opcode == Opcode.NopOut && p.InitiatorTaskTag == Bhs.ReservedTag) == Pings,
            "every target ping answered");
        long growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        var answers = fake.Received.Where(p => p.Opcode == Opcode.NopOut && p.InitiatorTaskTag == Bhs.ReservedTag).ToArray();
        Assert.Equal(Enumerable.Range(1, Pings).Select(i => (uint)i), answers.Select(p => p.NopOut.TargetTransferTag).Order());
        Assert.Equal(Unsolicited + Pings, session.Statistics.NopInReceived);
        Assert.True(growth < 8 * 1024 * 1024, $"Managed memory grew by {growth} bytes over the flood.");
        Assert.True(session.IsConnected);
        await session.PingAsync();
        Assert.Empty(fake.Violations);
    }

    /// <summary>Unsolicited NOP-Ins (ITT and TTT 0xffffffff: no answer) with a ping (TTT 1..2000) every tenth.</summary>
    private static byte[] Flood(FakeConnection c)
    {
        var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: false);
        var flood = new byte[(Unsolicited + Pings) * Bhs.Length];
        uint ping = 0;
        for (int i = 0; i < Unsolicited + Pings; i++)
        {
            bool isPing = i % 11 == 10 && ping < Pings || Unsolicited + Pings - i == Pings - ping;
            new NopIn
            {
                InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = isPing ? ++ping : Bhs.ReservedTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
            }.WriteTo(flood.AsSpan(i * Bhs.Length, Bhs.Length));
        }
        return flood;
    }
}
