using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Reject (RFC 7143 11.17) of a SCSI Command: that command fails with the reason, nothing else does.</summary>
public sealed class RejectTests
{
    [Fact]
    public async Task A_rejected_command_fails_with_the_reason_and_the_next_command_completes()
    {
        int commands = 0;
        await using var fake = new FakeTarget((c, pdu) =>
            pdu.Opcode == Opcode.ScsiCommand && Interlocked.Increment(ref commands) == 1
                ? c.SendRejectAsync(pdu, RejectReason.InvalidPduField)
                : c.AnswerDefaultAsync(pdu));
        await using var session = await fake.ConnectAsync();

        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.Read(512)));
        Assert.Equal("PduRejected", error.ErrorId);
        Assert.Contains("invalid PDU field", error.Message);
        Assert.Contains("0x09", error.Message);
        Assert.True(session.IsConnected);
        Assert.Null(session.Failure);

        var next = await session.ExecuteAsync(Commands.Read(512));
        Assert.True(next.IsGood, next.ToString());
        Assert.Equal(512, next.DataInLength);
        Assert.Equal(1, session.Statistics.Rejects);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task When_every_command_is_rejected_all_fail_cleanly_and_none_hangs()
    {
        await using var fake = new FakeTarget((c, pdu) =>
            pdu.Opcode == Opcode.ScsiCommand ? c.SendRejectAsync(pdu, RejectReason.CommandNotSupported) : c.AnswerDefaultAsync(pdu));
        await using var session = await fake.ConnectAsync();

        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(() => session.ExecuteAsync(Commands.Read(512 * (i + 1))))).ToArray();
        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }))).WaitAsync(FakeTarget.Patience);

        foreach (var t in tasks)
        {
            var error = Assert.IsType<IscsiProtocolException>(t.Exception?.InnerException);
            Assert.Equal("PduRejected", error.ErrorId);
            Assert.Contains("command not supported", error.Message);
        }
        Assert.True(session.IsConnected);
        Assert.Equal(0, session.InFlightCount);
        Assert.True(session.IsIdle);
        Assert.Equal(16, session.Statistics.Rejects);
        await session.PingAsync();
        Assert.Empty(fake.Violations);
    }
}
