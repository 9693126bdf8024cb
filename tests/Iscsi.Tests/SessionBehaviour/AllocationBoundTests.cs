using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurementCollection
{
    /// <summary>Runs alone, so that the process-wide allocation counter sees only its test.</summary>
    public const string Name = "Allocation measurement";
}

/// <summary>A target announcing a huge data segment must not make us allocate it.</summary>
[Collection(AllocationMeasurementCollection.Name)]
public sealed class AllocationBoundTests
{
    [Fact]
    public async Task A_16_MiB_announced_segment_costs_no_16_MiB_and_fails_at_once()
    {
        await using var fake = new FakeTarget((c, pdu) => pdu.Opcode == Opcode.ScsiCommand ? Task.CompletedTask : c.AnswerDefaultAsync(pdu));
        var session = await fake.ConnectAsync();
        var command = session.ExecuteAsync(Commands.Read(512));
        var itt = (await fake.WaitForAsync(Opcode.ScsiCommand)).InitiatorTaskTag;

        long before = GC.GetTotalAllocatedBytes(precise: true);
        // The header only: nothing of the announced 16 MiB follows, so a reader that waited for it would hang.
        await fake.Connection.SendPduAsync(b => new DataIn { InitiatorTaskTag = itt, DataSegmentLength = 0xFFFFFF }.WriteTo(b));
        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => command.WaitAsync(TimeSpan.FromSeconds(2)));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("DataSegmentTooLong", error.ErrorId);
        Assert.InRange(allocated, 0, 2 * 1024 * 1024);
        Assert.False(session.IsConnected);
        await session.DisposeAsync();
    }
}
