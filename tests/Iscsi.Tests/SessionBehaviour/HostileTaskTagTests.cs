using Iscsi.Pdu;
using Iscsi.Tests.Fakes;
using static Iscsi.Tests.SessionBehaviour.HostilePduTests;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Task tags nobody asked about. A PDU that would put data or a response somewhere (Data-In, R2T, SCSI,
/// Task Management and Text Responses) for a tag not in flight is a protocol error that closes the connection;
/// answers that carry nothing to deliver (a NOP-In, a Logout Response, a Reject naming an unknown tag) are dropped
/// and the session goes on.</summary>
public sealed class HostileTaskTagTests
{
    private const uint Stranger = 0x0BAD_F00D;

    [Fact]
    public Task Data_in_for_an_unknown_task_tag_is_refused() =>
        AssertHostileAsync((c, _) => c.SendDataInAsync(new DataIn { InitiatorTaskTag = Stranger }, new byte[16]),
            Commands.Read(512), "UnknownTaskTag", "0x0BADF00D");

    [Fact]
    public Task An_r2t_for_an_unknown_task_tag_is_refused() =>
        AssertHostileAsync((c, _) => c.SendReadyToTransferAsync(new ReadyToTransfer
        {
            InitiatorTaskTag = Stranger, TargetTransferTag = 1, DesiredDataTransferLength = 512,
        }), Commands.Read(512), "UnknownTaskTag", "0x0BADF00D");

    [Fact]
    public Task A_task_management_response_nobody_asked_for_is_refused() =>
        AssertHostileAsync((c, _) => c.SendTaskManagementResponseAsync(Stranger, 0),
            Commands.Read(512), "UnknownTaskTag", "0x0BADF00D");

    [Fact]
    public Task A_text_response_nobody_asked_for_is_refused() =>
        AssertHostileAsync((c, _) =>
        {
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            return c.SendPduAsync(b => new TextResponse
            {
                Final = true, InitiatorTaskTag = Stranger, TargetTransferTag = Bhs.ReservedTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
            }.WriteTo(b));
        }, Commands.Read(512), "UnknownTaskTag", "0x0BADF00D");

    [Fact]
    public async Task A_nop_in_logout_response_or_reject_for_an_unknown_tag_is_dropped_and_the_session_goes_on()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand)
            {
                await c.SendNopInAsync(new NopIn { InitiatorTaskTag = Stranger, TargetTransferTag = Bhs.ReservedTag });
                await c.SendLogoutResponseAsync(Stranger);
                var rejected = new byte[Bhs.Length];
                new NopOut { InitiatorTaskTag = Stranger, TargetTransferTag = Bhs.ReservedTag }.WriteTo(rejected);
                await c.SendRejectAsync(new ReceivedPdu(rejected, [], 0), RejectReason.ProtocolError);
            }
            await c.AnswerDefaultAsync(pdu);
        });
        await using var session = await fake.ConnectAsync();

        var result = await session.ExecuteAsync(Commands.Read(512));
        Assert.True(result.IsGood, result.ToString());
        Assert.True(session.IsConnected);
        Assert.Null(session.Failure);
        await session.PingAsync();
        Assert.Equal(1, session.Statistics.Rejects);
        Assert.Empty(fake.Violations);
    }
}
