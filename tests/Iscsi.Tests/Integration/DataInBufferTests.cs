using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>Residuals and where Data-In lands: caller buffers, segments, and the engine's overflow buffer.</summary>
public abstract class DataInBufferTests(TestTarget target)
{
    private static byte[] Read10(ulong lba, ushort blocks) => Cdb.Read10((uint)lba, blocks);

    [TargetFact]
    public async Task Expected_length_above_what_the_target_sends_is_an_underflow_with_its_count()
    {
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var lun = target.DiskLun1;
        var buffer = new byte[4 * lun.BlockSize];
        var result = await session.ExecuteAsync(new ScsiCommand(lun.Number, Read10(0, 1)) { DataIn = buffer });
        Assert.True(result.IsGood);
        Assert.Equal(ResidualKind.Underflow, result.ResidualKind);
        Assert.Equal((uint)(3 * lun.BlockSize), result.ResidualCount);
        Assert.Equal(lun.BlockSize, result.DataInLength);
    }

    [TargetFact]
    public async Task Expected_length_below_what_the_command_asks_is_an_overflow_with_its_count()
    {
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var lun = target.DiskLun1;
        var buffer = new byte[lun.BlockSize];
        var result = await session.ExecuteAsync(new ScsiCommand(lun.Number, Read10(0, 3)) { DataIn = buffer });
        Assert.Equal(ResidualKind.Overflow, result.ResidualKind);
        Assert.Equal((uint)(2 * lun.BlockSize), result.ResidualCount);
        Assert.True(result.DataInLength <= lun.BlockSize);
    }

    [TargetFact]
    public async Task Residual_is_reported_with_a_non_good_status_too()
    {
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var lun = target.DiskLun1;
        var buffer = new byte[2 * lun.BlockSize];
        // One block past the end: CHECK CONDITION, nothing transferred, the whole expected length is residual.
        var result = await session.ExecuteAsync(new ScsiCommand(lun.Number, Read10((ulong)lun.BlockCount, 2)) { DataIn = buffer });
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(0, result.DataInLength);
        if (target.SendsSenseWithEveryCheckCondition)
        {
            Assert.Equal(ResidualKind.Underflow, result.ResidualKind);
            Assert.Equal((uint)buffer.Length, result.ResidualCount);
        }
        else
        {
            // istgt sets neither U nor O (nor sense data) on this CHECK CONDITION: the engine reports no residual
            // rather than inventing one, and DataInLength still says nothing arrived.
            Assert.Equal(ResidualKind.None, result.ResidualKind);
            Assert.Equal(0u, result.ResidualCount);
        }
    }

    [TargetFact]
    public async Task Data_beyond_the_callers_buffer_lands_in_an_engine_buffer_not_past_the_callers_memory()
    {
        var lun = target.DiskLun1;
        var pattern = TargetSession.RandomBytes(2 * lun.BlockSize, 5);
        TargetSession.WriteBackingFile(lun, 300L * lun.BlockSize, pattern);
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var backing = new byte[lun.BlockSize + 64];
        var callerBuffer = backing.AsMemory(0, 100);  // the rest of 'backing' must stay untouched
        var result = await session.ExecuteAsync(new ScsiCommand(lun.Number, Read10(300, 2))
        {
            DataIn = callerBuffer,
            ExpectedDataInLength = 2 * lun.BlockSize,
        });
        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(2 * lun.BlockSize, result.DataInLength);
        Assert.Equal(pattern.AsSpan(0, 100).ToArray(), callerBuffer.ToArray());
        Assert.Equal(pattern.AsSpan(100).ToArray(), result.OverflowData.ToArray());
        Assert.All(backing.AsSpan(100).ToArray(), b => Assert.Equal(0, b));
    }

    [TargetFact]
    public async Task Non_contiguous_segments_are_filled_in_order()
    {
        var lun = target.DiskLun1;
        var pattern = TargetSession.RandomBytes(4 * lun.BlockSize, 6);
        TargetSession.WriteBackingFile(lun, 400L * lun.BlockSize, pattern);
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var a = new byte[700];
        var b = new byte[3];
        var c = new byte[4 * lun.BlockSize - 703];
        var result = await session.ExecuteAsync(new ScsiCommand(lun.Number, Read10(400, 4))
        {
            DataInSegments = [a, b, c],
        });
        Assert.True(result.IsGood);
        Assert.Equal(pattern, a.Concat(b).Concat(c).ToArray());
    }

    [TargetFact]
    public async Task Without_a_caller_buffer_the_engine_returns_the_data()
    {
        await using var session = await target.ConnectDiskAsync();
        await session.TestUnitReadyAsync(target.DiskLun1.Number); // takes the new nexus's UNIT ATTENTION
        var result = await session.ExecuteAsync(new ScsiCommand(target.DiskLun1.Number, Cdb.Inquiry(false, 0, 96))
        {
            ExpectedDataInLength = 96,
        });
        Assert.True(result.IsGood);
        Assert.True(result.Data.Length >= 36);
        var inquiry = StandardInquiryData.Parse(result.Data);
        Assert.Equal(target.VendorId, inquiry.VendorId);
    }
}
