using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Cancelling mid-transfer (the seed's EINTR): ABORT TASK on the wire, what arrived is reported, the
/// session stays usable.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_a_half_delivered_read_aborts_it_and_reports_the_bytes_that_arrived()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && Interlocked.Increment(ref commands) == 1)
                await c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag }, Commands.Pattern(2048)); // half, then silence
            else
                await c.AnswerDefaultAsync(pdu); // including FunctionComplete for the abort
        });
        await using var session = await fake.ConnectAsync();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource();

        var read = session.ExecuteAsync(new ScsiCommand(0, Cdb.Read10(0, 8)) { DataIn = buffer }, cts.Token);
        await FakeTarget.EventuallyAsync(() => session.Statistics.DataInBytes == 2048, "half the data arrived");
        Assert.False(read.IsCompleted);
        cts.Cancel();

        var error = await Assert.ThrowsAsync<ScsiCommandAbortedException>(() => read.WaitAsync(FakeTarget.Patience));
        Assert.Equal(2048, error.PartialResult.DataInLength);
        Assert.Equal("CommandAborted", error.ErrorId);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(Commands.Pattern(2048), buffer[..2048]);
        Assert.All(buffer[2048..], b => Assert.Equal(0, b));

        var command = fake.Received.First(p => p.Opcode == Opcode.ScsiCommand);
        var abort = fake.Received.Single(p => p.Opcode == Opcode.TaskManagementRequest);
        Assert.Equal(1, abort.Header[1] & 0x7F); // ABORT TASK
        Assert.Equal(command.InitiatorTaskTag, abort.TaskManagement.ReferencedTaskTag);

        Assert.True(session.IsConnected);
        Assert.True((await session.ExecuteAsync(Commands.Read(512))).IsGood);
        Assert.Equal(1, session.Statistics.Aborts);
        Assert.Equal(0, session.Statistics.Timeouts);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task Cancelling_a_command_still_waiting_for_the_window_sends_nothing()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { InitialCommandWindow = 0, SlidingCommandWindow = null });
        await using var session = await fake.ConnectAsync();
        using var cts = new CancellationTokenSource();

        var waiting = session.ExecuteAsync(Commands.TestUnitReady(), cts.Token);
        await Task.Delay(100);
        cts.Cancel();

        var error = await Assert.ThrowsAsync<ScsiCommandAbortedException>(() => waiting.WaitAsync(FakeTarget.Patience));
        Assert.Equal(0, error.PartialResult.DataInLength);
        Assert.Empty(fake.Received);
        Assert.True(session.IsConnected);
        Assert.Equal(0, session.InFlightCount);
    }
}
