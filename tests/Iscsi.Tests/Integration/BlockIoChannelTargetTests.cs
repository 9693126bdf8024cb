using Iscsi.Scsi;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>BlockIoChannel against a real tgtd: what it writes is on the backing file, what it reads is what the
/// file holds, from many channels at once; the (16) CDB forms go out when the range needs them; and the first
/// request on a new session meets tgtd's UNIT ATTENTION and still succeeds (absorbed).</summary>
[Collection(TgtdCollection.Name)]
public sealed class BlockIoChannelTargetTests(TgtdTarget target)
{
    // Blocks 100352..102399 of LUN 1 (1 MiB): no other test writes there.
    private const ulong FirstBlock = 100352;
    private const int Channels = 8, ChunksPerChannel = 8, ChunkBlocks = 32;

    [RequiresTgtdFact]
    public async Task Many_channels_write_and_read_back_exactly_what_the_backing_file_holds()
    {
        var lun = target.DiskLun1;
        await using var session = await target.ConnectDiskAsync();
        int chunkBytes = ChunkBlocks * lun.BlockSize;
        var expected = TargetSession.RandomBytes(Channels * ChunksPerChannel * chunkBytes, 41);

        // The session's very first command is a channel's: tgtd's UNIT ATTENTION for the new nexus is absorbed.
        await Task.WhenAll(Enumerable.Range(0, Channels).Select(c => Task.Run(async () =>
        {
            var channel = new BlockIoChannel(session, lun.Number, lun.BlockSize);
            var back = new byte[chunkBytes];
            for (int i = 0; i < ChunksPerChannel; i++)
            {
                int chunk = i * Channels + c;
                var data = expected.AsMemory(chunk * chunkBytes, chunkBytes);
                ulong lba = FirstBlock + (ulong)(chunk * ChunkBlocks);
                var written = await channel.WriteAsync(lba, data);
                Assert.True(written.IsGood, written.ToString());
                Assert.Equal(chunkBytes, written.DataOutLength);
                var read = await channel.ReadAsync(lba, ChunkBlocks, back);
                Assert.True(read.IsGood, read.ToString());
                Assert.Equal(chunkBytes, read.DataInLength);
                Assert.Equal(ResidualKind.None, read.ResidualKind);
                Assert.True(data.Span.SequenceEqual(back), $"chunk {chunk} read back differs");
            }
        })));

        Assert.Equal(expected, TargetSession.ReadBackingFile(lun, (long)FirstBlock * lun.BlockSize, expected.Length));
        Assert.Equal(0, session.InFlightCount);
    }

    [RequiresTgtdFact]
    public async Task Ranges_past_the_ten_byte_cdb_use_read16_and_write16()
    {
        // The null LUN (1 TiB, reads return zeros): 65536 blocks do not fit READ(10)'s 16-bit length.
        var lun = target.DiskNullLun2;
        await using var session = await target.ConnectDiskAsync();
        var channel = new BlockIoChannel(session, lun.Number, lun.BlockSize);
        const int blocks = 65536;
        var buffer = new byte[blocks * lun.BlockSize];
        Array.Fill(buffer, (byte)0xA5);

        var read = await channel.ReadAsync(1000, blocks, buffer);
        Assert.True(read.IsGood, read.ToString());
        Assert.Equal(buffer.Length, read.DataInLength);
        Assert.All(buffer, b => Assert.Equal(0, b));
        var written = await channel.WriteAsync(5000, buffer);
        Assert.True(written.IsGood, written.ToString());
        Assert.Equal(buffer.Length, written.DataOutLength);

        // Past the end: a CHECK CONDITION in the result (ILLEGAL REQUEST, LBA out of range), not an exception.
        var past = await channel.ReadAsync((ulong)lun.BlockCount, 1, buffer);
        Assert.Equal(ScsiStatus.CheckCondition, past.Status);
        Assert.Equal(SenseKey.IllegalRequest, past.Sense!.SenseKey);
        Assert.Equal(0x21, past.Sense.Asc);
    }
}
