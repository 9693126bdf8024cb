using Iscsi.Login;
using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A target that rejects everything (RFC 7143 11.17): every kind of request fails with PduRejected, the
/// session survives each, and nothing is left behind (no task in flight, no pending request, bounded memory).</summary>
[Collection(AllocationMeasurementCollection.Name)]
public sealed class RejectEveryRequestTests
{
    [Fact]
    public async Task Every_kind_of_request_fails_with_PduRejected_and_the_session_survives()
    {
        bool rejecting = true;
        await using var fake = new FakeTarget((c, pdu) =>
            Volatile.Read(ref rejecting) && pdu.Opcode != Opcode.LogoutRequest
                ? c.SendRejectAsync(pdu, RejectReason.CommandNotSupported)
                : c.AnswerDefaultAsync(pdu));
        await using var session = await fake.ConnectAsync();
        var sendTargets = new TextKeyValues();
        sendTargets.Add("SendTargets", "All");

        var requests = new (string Name, Func<Task> Run)[]
        {
            ("SCSI read", () => session.ExecuteAsync(Commands.Read(4096))),
            ("SCSI write with immediate data", () => session.ExecuteAsync(Commands.Write(Commands.Pattern(1024)))),
            ("SCSI command without data", () => session.ExecuteAsync(Commands.TestUnitReady())),
            ("NOP-Out ping", () => session.PingAsync()),
            ("Text (SendTargets)", () => session.TextExchangeAsync(sendTargets, default)),
            ("LOGICAL UNIT RESET", () => session.LunResetAsync(0)),
            ("ABORT TASK SET", () => session.AbortTaskSetAsync(0)),
        };
        foreach (var (name, run) in requests)
        {
            var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => run().WaitAsync(FakeTarget.Patience));
            Assert.True(error.ErrorId == "PduRejected", $"{name}: {error.ErrorId}: {error.Message}");
            Assert.True(session.IsConnected, $"{name} closed the session: {session.Failure}");
            Assert.True(session.IsIdle, $"{name} left a request pending");
            Assert.Equal(0, session.InFlightCount);
        }
        Assert.Equal(requests.Length, session.Statistics.Rejects);

        Volatile.Write(ref rejecting, false);
        Assert.True((await session.ExecuteAsync(Commands.Read(512))).IsGood);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task A_rejected_data_out_fails_its_write()
    {
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            switch (pdu.Opcode)
            {
                case Opcode.ScsiCommand when pdu.ScsiCommand.Write:
                    await c.SendReadyToTransferAsync(new ReadyToTransfer
                    {
                        InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = 0x55, DesiredDataTransferLength = pdu.ScsiCommand.ExpectedDataTransferLength,
                    });
                    break;
                case Opcode.DataOut:
                    if (Bhs.IsFinal(pdu.Header)) await c.SendRejectAsync(pdu, RejectReason.DataDigestError);
                    break;
                default:
                    await c.AnswerDefaultAsync(pdu);
                    break;
            }
        }, new FakeTargetSettings { ImmediateData = false, InitialR2T = true });
        await using var session = await fake.ConnectAsync();

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.Write(Commands.Pattern(2048))).WaitAsync(FakeTarget.Patience));
        Assert.Equal("PduRejected", error.ErrorId);
        Assert.Contains("Data-Out", error.Message);
        Assert.True(session.IsConnected);
        Assert.Equal(0, session.InFlightCount);
        await session.PingAsync();
    }

    [Fact]
    public async Task A_thousand_rejected_commands_leave_nothing_behind()
    {
        await using var fake = new FakeTarget((c, pdu) =>
            pdu.Opcode == Opcode.ScsiCommand ? c.SendRejectAsync(pdu, RejectReason.InvalidPduField) : c.AnswerDefaultAsync(pdu));
        await using var session = await fake.ConnectAsync();
        for (int i = 0; i < 50; i++) await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.Read(4096)));

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int round = 0; round < 20; round++)
        {
            var tasks = Enumerable.Range(0, 50).Select(_ => session.ExecuteAsync(Commands.Read(4096))).ToArray();
            foreach (var t in tasks)
                Assert.Equal("PduRejected", (await Assert.ThrowsAsync<IscsiProtocolException>(() => t.WaitAsync(FakeTarget.Patience))).ErrorId);
        }
        long growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.True(growth < 4 * 1024 * 1024, $"Managed memory grew by {growth} bytes over 1000 rejected commands.");
        Assert.True(session.IsIdle);
        Assert.Equal(1050, session.Statistics.Rejects);
        await session.PingAsync();
    }
}
