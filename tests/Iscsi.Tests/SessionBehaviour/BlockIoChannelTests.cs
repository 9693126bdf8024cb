using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>BlockIoChannel: one command state reused request after request, but only when the request ended on the
/// fast path; a request that timed out, was cancelled or repeated leaves its state behind (a timer, an abort or a
/// background sender may still hold it) and the channel starts a fresh one. Answers, UNIT ATTENTION, bad arguments.</summary>
public sealed class BlockIoChannelTests
{
    private const byte CheckCondition = 0x02;
    private const byte UnitAttention = 0x06, IllegalRequest = 0x05;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Requests_that_end_on_the_fast_path_reuse_one_state_object(bool inlineCompletions)
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.InlineCompletions = inlineCompletions));
        var channel = new BlockIoChannel(session, 0, 512);
        var buffer = new byte[4096];

        var first = await channel.ReadAsync(7, 8, buffer).AsTask().WaitAsync(FakeTarget.Patience);
        var state = channel.CurrentState;
        Assert.NotNull(state);
        for (int i = 0; i < 50; i++)
        {
            var result = i % 2 == 0
                ? await channel.WriteAsync((ulong)i, buffer.AsMemory(0, 1024)).AsTask().WaitAsync(FakeTarget.Patience)
                : await channel.ReadAsync((ulong)i, 8, buffer).AsTask().WaitAsync(FakeTarget.Patience);
            Assert.True(result.IsGood, result.ToString());
            Assert.Same(state, channel.CurrentState);
        }
        Assert.True(first.IsGood);
        Assert.Equal(4096, first.DataInLength);

        // What went on the wire: READ(10) of 8 blocks at LBA 7 first, then alternating WRITE(10)/READ(10), each with its own tag.
        // Before the first write the session asked the LU's capacity once, to learn its identity (this fake's zeros
        // cannot be decoded, so the LU counts as unidentifiable and is not asked again).
        var all = fake.Received.Where(p => p.Opcode == Opcode.ScsiCommand).Select(p => p.ScsiCommand).ToList();
        Assert.Equal(0x9E, all[1].Cdb.Span[0]);
        Assert.Single(all, c => c.Cdb.Span[0] == 0x9E);
        var commands = all.Where(c => c.Cdb.Span[0] != 0x9E).ToList();
        Assert.Equal(51, commands.Count);
        Assert.Equal(Cdb.Read10(7, 8), commands[0].Cdb.ToArray()[..10]);
        Assert.Equal(Cdb.Write10(0, 2), commands[1].Cdb.ToArray()[..10]);
        Assert.Equal(1024u, commands[1].ExpectedDataTransferLength);
        Assert.Equal(Cdb.Read10(1, 8), commands[2].Cdb.ToArray()[..10]);
        Assert.Equal(51, commands.Select(c => c.InitiatorTaskTag).Distinct().Count());
        Assert.Equal(0, session.InFlightCount);
    }

    [Fact]
    public async Task A_non_good_status_is_returned_with_its_sense_and_the_state_is_still_reused()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
                await c.SendScsiResponseAsync(new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, Status = CheckCondition },
                    SenseBytes.Fixed(IllegalRequest, 0x21, 0x00));
            else
                await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();
        var channel = new BlockIoChannel(session, 0, 512);

        var result = await channel.ReadAsync(1_000_000, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience);
        var state = channel.CurrentState;
        Assert.False(result.IsGood);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(SenseKey.IllegalRequest, result.Sense!.SenseKey);
        Assert.Equal(0x21, result.Sense.Asc);
        Assert.Contains("IllegalRequest 21h/00h", result.ToString(), StringComparison.Ordinal);

        await channel.ReadAsync(1_000_001, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience);
        Assert.Same(state, channel.CurrentState);
    }

    [Fact]
    public async Task A_unit_attention_is_absorbed_by_sending_the_request_again()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Interlocked.Increment(ref commands) == 1)
                await c.SendScsiResponseAsync(new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, Status = CheckCondition },
                    SenseBytes.Fixed(UnitAttention, 0x29, 0x00)); // power on, reset: what a new I_T nexus reports
            else
                await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();
        var channel = new BlockIoChannel(session, 0, 512);

        var result = await channel.ReadAsync(0, 2, new byte[1024]).AsTask().WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(1024, result.DataInLength);
        var sent = fake.Received.Where(p => p.Opcode == Opcode.ScsiCommand).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].ScsiCommand.Cdb.ToArray(), sent[1].ScsiCommand.Cdb.ToArray());
        Assert.Equal(1, session.Statistics.UnitAttentionsAbsorbed);
        Assert.Equal(0, session.Statistics.CommandsRepeated);
        // Sent again in the background: that sender may still hold the state, so the next request gets a new one.
        var repeatedState = channel.CurrentState;
        Assert.True((await channel.ReadAsync(0, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.NotSame(repeatedState, channel.CurrentState);
    }

    [Fact]
    public async Task A_timed_out_request_fails_and_its_state_is_not_reused_so_a_late_answer_cannot_complete_the_next_one()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            switch (pdu.Opcode)
            {
                case Opcode.ScsiCommand when Interlocked.Increment(ref commands) == 1:
                    break; // silence: the command times out
                case Opcode.TaskManagementRequest:
                    await c.SendTaskManagementResponseAsync(pdu.InitiatorTaskTag, 0);
                    await c.SendGoodAsync(pdu.TaskManagement.ReferencedTaskTag); // late answer for the aborted task
                    break;
                default:
                    await c.AnswerDefaultAsync(pdu);
                    break;
            }
        });
        // Long enough that the second read is not at risk on a loaded machine; the first is never answered.
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.CommandTimeout = TimeSpan.FromSeconds(1)));
        var channel = new BlockIoChannel(session, 0, 512);

        var error = await Assert.ThrowsAsync<IscsiTimeoutException>(() => channel.ReadAsync(0, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience));
        Assert.Equal("Timeout", error.ErrorId);
        var timedOut = channel.CurrentState;

        await FakeTarget.EventuallyAsync(() => session.Statistics.PdusReceived == fake.PdusSent, "the late answer was read");
        var buffer = new byte[512];
        var next = await channel.ReadAsync(3, 1, buffer).AsTask().WaitAsync(FakeTarget.Patience);
        Assert.True(next.IsGood);
        Assert.Equal(512, next.DataInLength);
        Assert.NotSame(timedOut, channel.CurrentState);
        Assert.True(session.IsConnected, session.Failure?.Message);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task A_cancelled_request_is_aborted_and_the_channel_goes_on_with_a_fresh_state()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Interlocked.Increment(ref commands) == 1) return; // never answered
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();
        var channel = new BlockIoChannel(session, 0, 512);
        using var cts = new CancellationTokenSource();

        var pending = channel.ReadAsync(0, 1, new byte[512], cts.Token).AsTask();
        await fake.WaitForAsync(Opcode.ScsiCommand);
        var cancelledState = channel.CurrentState;
        cts.Cancel();
        var error = await Assert.ThrowsAsync<ScsiCommandAbortedException>(() => pending.WaitAsync(FakeTarget.Patience));
        Assert.Equal(cts.Token, error.CancellationToken);

        Assert.True((await channel.ReadAsync(0, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.NotSame(cancelledState, channel.CurrentState);
        Assert.Single(fake.Received, p => p.Opcode == Opcode.TaskManagementRequest);
    }

    [Fact]
    public async Task A_second_request_while_one_is_in_flight_is_refused_and_the_first_is_unharmed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand) await release.Task;
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();
        var channel = new BlockIoChannel(session, 0, 512);

        var first = channel.ReadAsync(0, 1, new byte[512]);
        var error = Assert.Throws<IscsiArgumentException>(() => { _ = channel.ReadAsync(1, 1, new byte[512]); });
        Assert.Equal("ChannelBusy", error.ErrorId);
        Assert.Contains("LUN 0", error.Message, StringComparison.Ordinal);
        release.SetResult();

        Assert.True((await first.AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.True((await channel.ReadAsync(1, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Equal(2, fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand));
    }

    [Fact]
    public async Task Bad_arguments_name_the_value_and_send_nothing()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        var channel = new BlockIoChannel(session, 0, 512);

        Assert.Equal("BlockCountInvalid", Assert.Throws<IscsiArgumentException>(() => { _ = channel.ReadAsync(0, 0, new byte[512]); }).ErrorId);
        var small = Assert.Throws<IscsiArgumentException>(() => { _ = channel.ReadAsync(0, 2, new byte[512]); });
        Assert.Equal("BufferTooSmall", small.ErrorId);
        Assert.Contains("512", small.Message, StringComparison.Ordinal);
        var partial = Assert.Throws<IscsiArgumentException>(() => { _ = channel.WriteAsync(0, new byte[700]); });
        Assert.Equal("DataNotBlockMultiple", partial.ErrorId);
        Assert.Contains("700", partial.Message, StringComparison.Ordinal);
        Assert.Equal("LbaOutOfRange", Assert.Throws<IscsiArgumentException>(() => { _ = channel.ReadAsync(ulong.MaxValue, 2, new byte[1024]); }).ErrorId);
        Assert.Equal("LunOutOfRange", Assert.Throws<IscsiArgumentException>(() => new BlockIoChannel(session, 16384, 512)).ErrorId);
        Assert.Equal("BlockSizeInvalid", Assert.Throws<IscsiArgumentException>(() => new BlockIoChannel(session, 0, 0)).ErrorId);
        Assert.Throws<ArgumentNullException>(() => new BlockIoChannel(null!, 0, 512));

        // After all that the channel still works, and nothing but that one read went out.
        Assert.True((await channel.ReadAsync(0, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Single(fake.Received, p => p.Opcode == Opcode.ScsiCommand);
    }

    [Fact]
    public async Task A_request_on_a_closed_session_throws_and_the_channel_is_not_left_busy()
    {
        await using var fake = new FakeTarget();
        var session = await fake.ConnectAsync(FakeTarget.Options(o => o.ReconnectAttempts = 0));
        var channel = new BlockIoChannel(session, 0, 512);
        Assert.True((await channel.ReadAsync(0, 1, new byte[512]).AsTask().WaitAsync(FakeTarget.Patience)).IsGood);
        await session.DisposeAsync();

        Assert.Equal("SessionClosed", Assert.ThrowsAny<IscsiException>(() => { _ = channel.ReadAsync(0, 1, new byte[512]); }).ErrorId);
        Assert.Equal("SessionClosed", Assert.ThrowsAny<IscsiException>(() => { _ = channel.ReadAsync(0, 1, new byte[512]); }).ErrorId);
    }
}
