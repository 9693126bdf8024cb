using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>How read data and status arrive (RFC 7143 11.7): status in the final Data-In (S bit) or in a SCSI
/// Response after the Data-In; several PDUs placed by BufferOffset, in order or not (DataPDUInOrder=No).</summary>
public sealed class DataInDeliveryTests
{
    private static readonly byte[] Expected = Commands.Pattern(3000);

    /// <summary>Answers the first read with Data-In PDUs of (offset, length) in the order given; the S bit on the
    /// last one, or a SCSI Response after them.</summary>
    private static FakeScript Deliver((int Offset, int Length)[] pieces, bool statusInDataIn) => async (c, pdu) =>
    {
        if (pdu.Opcode != Opcode.ScsiCommand) { await c.AnswerDefaultAsync(pdu); return; }
        for (int i = 0; i < pieces.Length; i++)
        {
            bool last = i == pieces.Length - 1;
            await c.SendDataInAsync(new DataIn
            {
                InitiatorTaskTag = pdu.InitiatorTaskTag, DataSn = (uint)i, BufferOffset = (uint)pieces[i].Offset,
                Final = last, HasStatus = last && statusInDataIn,
            }, Expected.AsMemory(pieces[i].Offset, pieces[i].Length));
        }
        if (!statusInDataIn) await c.SendGoodAsync(pdu.InitiatorTaskTag);
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Three_pdus_in_order_land_at_their_offsets_with_status_either_way(bool statusInDataIn)
    {
        await using var fake = new FakeTarget(Deliver([(0, 1000), (1000, 1000), (2000, 1000)], statusInDataIn));
        await using var session = await fake.ConnectAsync();
        var buffer = new byte[3000];

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 6)) { DataIn = buffer });

        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(3000, result.DataInLength);
        Assert.Equal(Expected, buffer);
        Assert.Equal(ResidualKind.None, result.ResidualKind);
        Assert.Equal(statusInDataIn ? 3 : 4, fake.PdusSent - 2); // minus the two login responses
        Assert.True(session.IsIdle);
    }

    [Fact]
    public async Task Out_of_order_pdus_are_placed_by_buffer_offset_when_DataPDUInOrder_is_No()
    {
        await using var fake = new FakeTarget(Deliver([(2000, 1000), (0, 700), (1400, 600), (700, 700)], statusInDataIn: true),
            new FakeTargetSettings { DataPduInOrder = false });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.DataPduInOrder = false));
        Assert.False(session.Negotiated.DataPduInOrder);
        var buffer = new byte[3000];

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 6)) { DataIn = buffer });

        Assert.True(result.IsGood);
        Assert.Equal(3000, result.DataInLength);
        Assert.Equal(Expected, buffer);
    }

    [Fact]
    public async Task Pdus_straddling_scattered_caller_buffers_are_split_across_them()
    {
        await using var fake = new FakeTarget(Deliver([(0, 700), (700, 1600), (2300, 700)], statusInDataIn: true));
        await using var session = await fake.ConnectAsync();
        var segments = new[] { new byte[1000], new byte[500], new byte[1500] };

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 6))
        {
            DataInSegments = segments.Select(s => new Memory<byte>(s)).ToArray(),
        });

        Assert.True(result.IsGood);
        Assert.Equal(Expected, segments.SelectMany(s => s).ToArray());
    }
}
