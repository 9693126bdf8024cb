using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A target's NOP-In ping (RFC 7143 11.19: ITT 0xffffffff, TTT not 0xffffffff) must be echoed by a
/// NOP-Out carrying the same TTT, LUN and data, ITT 0xffffffff, the I bit set (11.18).</summary>
public sealed class TargetPingTests
{
    [Fact]
    public async Task A_target_ping_is_answered_with_its_ttt_lun_and_data()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        byte[] ping = "ping-data!"u8.ToArray(); // 10 bytes: padding on the wire both ways
        uint statSnBefore = fake.Connection.StatSn;

        await fake.Connection.SendNopInAsync(new NopIn
        {
            InitiatorTaskTag = 0xFFFFFFFF, TargetTransferTag = 0x0000BEEF, Lun = 0x0001_0000_0000_0000,
        }, ping);

        var answer = await fake.WaitForAsync(p => p.Opcode == Opcode.NopOut, "the NOP-Out answering the ping");
        Assert.Equal(0x40, answer.Header[0]); // I bit + opcode 0x00
        Assert.Equal(0x80, answer.Header[1]); // F bit
        Assert.Equal(0xFFFFFFFFu, answer.InitiatorTaskTag);
        Assert.Equal(0x0000BEEFu, answer.NopOut.TargetTransferTag);
        Assert.Equal(0x0001_0000_0000_0000UL, answer.NopOut.Lun);
        Assert.Equal(ping, answer.Data);
        // An unsolicited NOP-In takes no StatSN (11.19.3): the initiator still expects the same one.
        Assert.Equal(statSnBefore, fake.Connection.StatSn);
        Assert.Equal(statSnBefore, answer.ExpStatSn);
        Assert.Equal(1, session.Statistics.NopInReceived);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task A_nop_in_without_ttt_is_not_answered()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        await fake.Connection.SendWindowUpdateAsync();
        await FakeTarget.EventuallyAsync(() => session.Statistics.NopInReceived == 1, "the NOP-In arrived");
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);
        Assert.DoesNotContain(fake.Received, p => p.Opcode == Opcode.NopOut);
    }

    [Fact]
    public async Task A_ping_bigger_than_the_target_accepts_is_echoed_only_up_to_its_max_recv_data_segment_length()
    {
        // The target declares 8 KiB for what it receives, and sends 64 KiB of ping data.
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { MaxRecvDataSegmentLength = 8192 });
        await using var session = await fake.ConnectAsync();
        byte[] ping = Commands.Pattern(65536);

        await fake.Connection.SendNopInAsync(new NopIn { InitiatorTaskTag = 0xFFFFFFFF, TargetTransferTag = 0x0000BEEF }, ping);

        var answer = await fake.WaitForAsync(p => p.Opcode == Opcode.NopOut, "the NOP-Out answering the ping");
        Assert.Equal(ping.AsSpan(0, 8192).ToArray(), answer.Data);
        Assert.Empty(fake.Violations);
    }
}
