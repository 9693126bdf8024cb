using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>The one unit-attention rule (Scsi/UnitAttention.cs): the power-on/reset condition (29h/xx) is absorbed by
/// sending the command again, counted and announced; a command asking for raw unit attentions sees it; every other
/// condition (capacity changed, LUN inventory changed, not ready to ready) reaches the caller and makes the session
/// forget what it knew of the LU.</summary>
public sealed class UnitAttentionTests
{
    private const byte UnitAttentionKey = 0x06;

    /// <summary>Answers the first <paramref name="times"/> SCSI commands with CHECK CONDITION / UNIT ATTENTION asc/ascq,
    /// every later one as a healthy target would.</summary>
    private static FakeScript UnitAttentionFirst(byte asc, byte ascq, int times = 1)
    {
        int left = times;
        return (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Interlocked.Decrement(ref left) >= 0)
                return c.SendScsiResponseAsync(new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, Status = (byte)ScsiStatus.CheckCondition },
                    SenseBytes.Fixed(UnitAttentionKey, asc, ascq));
            return c.AnswerDefaultAsync(pdu);
        };
    }

    private static int ScsiCommandsReceived(FakeTarget fake) => fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand);

    [Theory]
    [InlineData(0x00)] // POWER ON, RESET, OR BUS DEVICE RESET OCCURRED
    [InlineData(0x07)] // I_T NEXUS LOSS OCCURRED
    public async Task The_reset_condition_is_absorbed_counted_and_announced(byte ascq)
    {
        await using var fake = new FakeTarget(UnitAttentionFirst(0x29, ascq));
        await using var session = await fake.ConnectAsync();
        var announced = new TaskCompletionSource<UnitAttentionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.UnitAttentionReceived += (_, e) => announced.TrySetResult(e);

        var result = await session.ExecuteAsync(Commands.TestUnitReady(lun: 3));

        Assert.True(result.IsGood);
        Assert.Equal(2, ScsiCommandsReceived(fake));
        Assert.Equal(1, session.Statistics.UnitAttentionsAbsorbed);
        var e = await announced.Task.WaitAsync(FakeTarget.Patience);
        Assert.True(e.Absorbed);
        Assert.Equal(3, e.Lun);
        Assert.Equal((0x29, ascq), (e.Sense.Asc, e.Sense.Ascq));
        Assert.Equal("TEST UNIT READY", e.CommandName);
        Assert.StartsWith($"LUN 3 reported UNIT ATTENTION 29h/{ascq:X2}h", e.ToString());
    }

    [Fact]
    public async Task A_command_asking_for_raw_unit_attentions_sees_the_reset_condition()
    {
        await using var fake = new FakeTarget(UnitAttentionFirst(0x29, 0x00));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(new ScsiCommand(0, Cdb.TestUnitReady()) { RawUnitAttention = true });

        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(SenseKey.UnitAttention, result.Sense!.SenseKey);
        Assert.Equal(1, ScsiCommandsReceived(fake));
        Assert.Equal(0, session.Statistics.UnitAttentionsAbsorbed);
    }

    [Theory]
    [InlineData(0x2A, 0x09)] // CAPACITY DATA HAS CHANGED
    [InlineData(0x3F, 0x0E)] // REPORTED LUNS DATA HAS CHANGED
    [InlineData(0x28, 0x00)] // NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED
    [InlineData(0x2A, 0x01)] // MODE PARAMETERS CHANGED
    public async Task Other_conditions_reach_the_caller_of_raw_commands_and_of_the_helpers(byte asc, byte ascq)
    {
        await using var fake = new FakeTarget(UnitAttentionFirst(asc, ascq, times: 2));
        await using var session = await fake.ConnectAsync();

        var raw = await session.ExecuteAsync(Commands.TestUnitReady());
        Assert.Equal(ScsiStatus.CheckCondition, raw.Status);
        Assert.Equal((asc, ascq), (raw.Sense!.Asc, raw.Sense.Ascq));

        var helper = await session.TestUnitReadyAsync(0);
        Assert.Equal(ScsiStatus.CheckCondition, helper.Status);
        Assert.Equal(2, ScsiCommandsReceived(fake));
        Assert.Equal(0, session.Statistics.UnitAttentionsAbsorbed);
    }

    [Fact]
    public async Task The_reset_condition_is_absorbed_at_most_three_times_in_a_row()
    {
        await using var fake = new FakeTarget(UnitAttentionFirst(0x29, 0x00, times: 10));
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.TestUnitReady());

        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(4, ScsiCommandsReceived(fake));
        Assert.Equal(3, session.Statistics.UnitAttentionsAbsorbed);
    }

    [Theory]
    [InlineData(0x2A, 0x09, 1, false)] // the LU that reported it forgets its capacity
    [InlineData(0x29, 0x00, 1, false)] // a reset may mean another medium: forgotten too
    [InlineData(0x3F, 0x0E, 2, false)] // the LUN inventory changed: every LU is forgotten
    [InlineData(0x2A, 0x09, 2, true)]  // another LU's change leaves this one known
    public async Task A_unit_attention_makes_the_session_forget_the_capacity_it_knew(byte asc, byte ascq, int reportingLun, bool stillKnown)
    {
        bool armed = false;
        await using var fake = new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Volatile.Read(ref armed))
            {
                Volatile.Write(ref armed, false);
                return c.SendScsiResponseAsync(new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, Status = (byte)ScsiStatus.CheckCondition },
                    SenseBytes.Fixed(UnitAttentionKey, asc, ascq));
            }
            if (pdu.Opcode == Opcode.ScsiCommand && pdu.ScsiCommand.Cdb.Span[0] == 0x9E) // READ CAPACITY(16): 1000 blocks of 512
            {
                var data = new byte[32];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(data, 999);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), 512);
                return c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, Final = true, HasStatus = true }, data);
            }
            return c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();

        var first = await session.GetCapacityAsync(1);
        Assert.Equal(1000UL, first.BlockCount);
        await session.GetCapacityAsync(1);
        int asked = fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] == 0x9E);
        Assert.Equal(1, asked); // known: not asked again

        Volatile.Write(ref armed, true);
        await session.ExecuteAsync(Commands.TestUnitReady(reportingLun));
        await session.GetCapacityAsync(1);
        int askedAfter = fake.Received.Count(p => p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] == 0x9E);
        Assert.Equal(stillKnown ? 1 : 2, askedAfter);
    }
}
