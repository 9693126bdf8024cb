using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Residuals (RFC 7143 11.4.5): O/U from the SCSI Response or from the final Data-In, the
/// bidirectional read residual (o/u), and a residual on a CHECK CONDITION carrying sense.</summary>
public sealed class ResidualTests
{
    private static FakeScript OnFirstCommand(Func<FakeConnection, ReceivedPdu, Task> answer) =>
        (c, pdu) => pdu.Opcode == Opcode.ScsiCommand ? answer(c, pdu) : c.AnswerDefaultAsync(pdu);

    [Theory]
    [InlineData(false, 1024, 3072u)] // underflow: 1024 of 4096 arrived
    [InlineData(true, 4096, 512u)]   // overflow: the target had 512 more than the 4096 asked for
    public async Task Residual_from_the_scsi_response(bool overflow, int sent, uint residual)
    {
        await using var fake = new FakeTarget(OnFirstCommand(async (c, cmd) =>
        {
            await c.SendDataInAsync(new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, Final = true }, new byte[sent]);
            await c.SendScsiResponseAsync(new ScsiResponse
            {
                InitiatorTaskTag = cmd.InitiatorTaskTag, Overflow = overflow, Underflow = !overflow, ResidualCount = residual,
            });
        }));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.Read(4096));

        Assert.True(result.IsGood);
        Assert.Equal(overflow ? ResidualKind.Overflow : ResidualKind.Underflow, result.ResidualKind);
        Assert.Equal(residual, result.ResidualCount);
        Assert.Equal(sent, result.DataInLength);
        Assert.Equal(ResidualKind.None, result.BidirectionalResidualKind);
    }

    [Theory]
    [InlineData(false, 2048, 2048u)]
    [InlineData(true, 4096, 100u)]
    public async Task Residual_from_the_final_data_in(bool overflow, int sent, uint residual)
    {
        await using var fake = new FakeTarget(OnFirstCommand((c, cmd) => c.SendDataInAsync(new DataIn
        {
            InitiatorTaskTag = cmd.InitiatorTaskTag, Final = true, HasStatus = true,
            Overflow = overflow, Underflow = !overflow, ResidualCount = residual,
        }, new byte[sent])));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.Read(4096));

        Assert.True(result.IsGood);
        Assert.Equal(overflow ? ResidualKind.Overflow : ResidualKind.Underflow, result.ResidualKind);
        Assert.Equal(residual, result.ResidualCount);
        Assert.Equal(sent, result.DataInLength);
    }

    [Theory]
    [InlineData(false, 768u)]
    [InlineData(true, 64u)]
    public async Task Bidirectional_read_residual_is_reported_apart_from_the_write_residual(bool overflow, uint readResidual)
    {
        await using var fake = new FakeTarget(OnFirstCommand(async (c, cmd) =>
        {
            await c.SendDataInAsync(new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, Final = true }, new byte[256]);
            await c.SendScsiResponseAsync(new ScsiResponse
            {
                InitiatorTaskTag = cmd.InitiatorTaskTag, BidiOverflow = overflow, BidiUnderflow = !overflow,
                BidirectionalReadResidualCount = readResidual, Underflow = true, ResidualCount = 12,
            });
        }));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 2))
        {
            DataOut = Commands.Pattern(512), ExpectedDataInLength = 1024,
        });

        var command = fake.Received.Single(p => p.Opcode == Opcode.ScsiCommand).ScsiCommand;
        Assert.True(command.Read && command.Write);
        Assert.Equal(overflow ? ResidualKind.Overflow : ResidualKind.Underflow, result.BidirectionalResidualKind);
        Assert.Equal(readResidual, result.BidirectionalResidualCount);
        Assert.Equal(ResidualKind.Underflow, result.ResidualKind);
        Assert.Equal(12u, result.ResidualCount);
        Assert.Equal(256, result.DataInLength);
        Assert.Equal(512, result.DataOutLength);
    }

    [Fact]
    public async Task A_check_condition_with_sense_and_a_residual_reports_both()
    {
        // MEDIUM ERROR, UNRECOVERED READ ERROR (11/00), nothing transferred.
        byte[] sense = SenseBytes.Fixed(0x03, 0x11, 0x00);
        await using var fake = new FakeTarget(OnFirstCommand((c, cmd) => c.SendScsiResponseAsync(new ScsiResponse
        {
            InitiatorTaskTag = cmd.InitiatorTaskTag, Status = 0x02, Underflow = true, ResidualCount = 4096,
        }, sense)));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.Read(4096));

        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.False(result.IsGood);
        Assert.NotNull(result.Sense);
        Assert.Equal(SenseKey.MediumError, result.Sense.SenseKey);
        Assert.Equal(0x11, result.Sense.Asc);
        Assert.Equal(0x00, result.Sense.Ascq);
        Assert.Equal(sense, result.Sense.Raw);
        Assert.Equal(ResidualKind.Underflow, result.ResidualKind);
        Assert.Equal(4096u, result.ResidualCount);
        Assert.Equal(0, result.DataInLength);
        Assert.True(session.IsConnected);
    }
}
