using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>A SCSI asynchronous event (AsyncEvent 0): SenseLength + sense data in the segment, LUN in the header.</summary>
public sealed class ScsiAsyncEventTests
{
    [Fact]
    public async Task The_event_is_raised_with_decoded_sense_and_lun_and_the_generic_message_too()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        var scsiEvent = new TaskCompletionSource<ScsiAsyncEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = new TaskCompletionSource<IscsiAsyncMessageEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.AsyncEvent += (_, e) => scsiEvent.TrySetResult(e);
        session.AsyncMessageReceived += (_, e) => message.TrySetResult(e);

        // UNIT ATTENTION, CAPACITY DATA HAS CHANGED (2A/09) on LUN 3 (peripheral addressing: 00 03 00 00 00 00 00 00).
        byte[] sense = SenseBytes.Fixed(0x06, 0x2A, 0x09);
        byte[] segment = [0x00, (byte)sense.Length, .. sense];
        await fake.Connection.SendAsyncMessageAsync(new AsyncMessage { AsyncEvent = 0, Lun = 0x0003_0000_0000_0000 }, segment);

        var e = await scsiEvent.Task.WaitAsync(FakeTarget.Patience);
        Assert.Equal(3, e.Lun);
        Assert.Equal(sense, e.RawSense);
        Assert.NotNull(e.Sense);
        Assert.Equal(SenseKey.UnitAttention, e.Sense.SenseKey);
        Assert.Equal(0x2A, e.Sense.Asc);
        Assert.Equal(0x09, e.Sense.Ascq);
        var m = await message.Task.WaitAsync(FakeTarget.Patience);
        Assert.Equal(0, m.AsyncEvent);
        Assert.True(session.IsConnected);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);
        Assert.Equal(1, session.Statistics.AsyncMessages);
    }
}
