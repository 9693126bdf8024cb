using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>An R2T may only ask for the next bytes of a write not sent yet, in R2TSN order (ERL 0, DataSequenceInOrder):
/// a target asking for the same bytes again and again must not make us send gigabytes for a small write.</summary>
public sealed class R2TDisciplineTests
{
    private static readonly FakeTargetSettings R2TOnly = new() { ImmediateData = false, InitialR2T = true };

    [Fact]
    public async Task An_r2t_for_bytes_already_sent_is_refused_and_nothing_more_is_sent()
    {
        int r2ts = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
            {
                // Ask for the same 4096 bytes a hundred times (with MaxOutstandingR2T=1 negotiated).
                for (uint i = 0; i < 100; i++)
                {
                    await c.SendReadyToTransferAsync(new ReadyToTransfer
                    {
                        InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = 0x100 + i, R2TSn = i, BufferOffset = 0, DesiredDataTransferLength = 4096,
                    });
                    Interlocked.Increment(ref r2ts);
                }
            }
        }, R2TOnly);
        await using var session = await fake.ConnectAsync();

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() =>
            session.ExecuteAsync(Commands.Write(Commands.Pattern(8192))).WaitAsync(FakeTarget.Patience));

        Assert.Equal("R2TOutOfOrder", error.ErrorId);
        Assert.Contains("already sent", error.Message);
        await Task.Delay(200);
        long dataOut = fake.Received.Where(p => p.Opcode == Opcode.DataOut).Sum(p => (long)p.Data.Length);
        Assert.InRange(dataOut, 0, 4096); // at most the first R2T's bytes (it may not even have left before the second arrived)
    }

    [Fact]
    public async Task An_r2t_out_of_r2tsn_order_is_refused()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
                await c.SendReadyToTransferAsync(new ReadyToTransfer
                {
                    InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = 0x100, R2TSn = 5, BufferOffset = 0, DesiredDataTransferLength = 4096,
                });
        }, R2TOnly);
        await using var session = await fake.ConnectAsync();

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() =>
            session.ExecuteAsync(Commands.Write(Commands.Pattern(8192))).WaitAsync(FakeTarget.Patience));

        Assert.Equal("R2TOutOfOrder", error.ErrorId);
        Assert.Contains("R2TSN 5", error.Message);
        Assert.DoesNotContain(fake.Received, p => p.Opcode == Opcode.DataOut);
    }

    [Fact]
    public async Task An_r2t_that_skips_bytes_is_refused()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
                await c.SendReadyToTransferAsync(new ReadyToTransfer
                {
                    InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = 0x100, R2TSn = 0, BufferOffset = 4096, DesiredDataTransferLength = 4096,
                });
        }, R2TOnly);
        await using var session = await fake.ConnectAsync();

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() =>
            session.ExecuteAsync(Commands.Write(Commands.Pattern(8192))).WaitAsync(FakeTarget.Patience));

        Assert.Equal("R2TOutOfOrder", error.ErrorId);
        Assert.Contains("skipping bytes 0..4096", error.Message);
    }

    [Fact]
    public async Task R2ts_in_order_move_the_whole_write()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
            {
                for (uint i = 0; i < 4; i++)
                    await c.SendReadyToTransferAsync(new ReadyToTransfer
                    {
                        InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = 0x100 + i, R2TSn = i, BufferOffset = i * 2048, DesiredDataTransferLength = 2048,
                    });
                return;
            }
            if (pdu.Opcode == Opcode.DataOut && pdu.DataOut is { Final: true, BufferOffset: 6144 } last)
                await c.SendGoodAsync(last.InitiatorTaskTag);
        }, R2TOnly);
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.Write(Commands.Pattern(8192))).WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood);
        Assert.Equal(8192, result.DataOutLength);
    }
}
