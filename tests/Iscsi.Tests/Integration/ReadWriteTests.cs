using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

public abstract class ReadWriteTests(TestTarget target)
{
    [TargetFact]
    public async Task Acknowledged_write_is_in_the_backing_file_and_reads_back()
    {
        await using var session = await target.ConnectDiskAsync();
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(64 * 1024, 1);
        var result = await session.WriteBlocksAsync(lun.Number, 100, lun.BlockSize, data);
        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(data.Length, result.DataOutLength);
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, 100L * lun.BlockSize, data.Length));

        var back = new byte[data.Length];
        var read = await session.ReadBlocksAsync(lun.Number, 100, data.Length / lun.BlockSize, lun.BlockSize, back);
        Assert.True(read.IsGood);
        Assert.Equal(data.Length, read.DataInLength);
        Assert.Equal(ResidualKind.None, read.ResidualKind);
        Assert.Equal(data, back);
    }

    [TargetFact]
    public async Task Reads_see_what_was_put_in_the_backing_file_directly()
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(8 * lun.BlockSize, 2);
        TargetSession.WriteBackingFile(lun, 2000L * lun.BlockSize, data);
        await using var session = await target.ConnectDiskAsync();
        var back = new byte[data.Length];
        var read = await session.ReadBlocksAsync(lun.Number, 2000, 8, lun.BlockSize, back);
        Assert.True(read.IsGood);
        Assert.Equal(data, back);
    }

    public static TheoryData<bool, bool, int> WritePaths => new()
    {
        // immediate data, initial R2T, bytes
        { true, false, 3 * 1024 * 1024 },   // immediate + unsolicited Data-Out + R2T
        { false, true, 3 * 1024 * 1024 },   // everything by R2T
        { true, true, 3 * 1024 * 1024 },    // immediate, then R2T
        { false, false, 3 * 1024 * 1024 },  // unsolicited Data-Out, then R2T
        { true, false, 4096 },              // small write entirely immediate
    };

    [TargetTheory]
    [MemberData(nameof(WritePaths))]
    public async Task Writes_over_every_data_out_path_land_on_disk(bool immediateData, bool initialR2T, int bytes)
    {
        var options = TargetSession.Fast();
        options.ImmediateData = immediateData;
        options.InitialR2T = initialR2T;
        options.FirstBurstLength = 65536;
        options.MaxBurstLength = 262144;
        await using var session = await target.ConnectDiskAsync(options);
        Assert.Equal(immediateData, session.Negotiated.ImmediateData);
        // InitialR2T is an OR of both offers: a target that insists on Yes makes every write wait for an R2T.
        Assert.Equal(initialR2T || !target.AllowsInitialR2TNo, session.Negotiated.InitialR2T);
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(bytes, bytes + (immediateData ? 1 : 0) + (initialR2T ? 2 : 0));
        ulong lba = 8192;
        var result = await session.WriteBlocksAsync(lun.Number, lba, lun.BlockSize, data);
        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(bytes, result.DataOutLength);
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, (long)lba * lun.BlockSize, bytes));
    }

    [TargetFact]
    public async Task Many_commands_in_flight_from_many_threads_all_complete_correctly()
    {
        var lun = target.DiskLun1;
        var pattern = TargetSession.RandomBytes(256 * lun.BlockSize, 3);
        TargetSession.WriteBackingFile(lun, 0, pattern);
        await using var session = await target.ConnectDiskAsync();
        int maxInFlight = 0;
        var tasks = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            int block = i % 256;
            var buffer = new byte[lun.BlockSize];
            var task = session.ReadBlocksAsync(lun.Number, (ulong)block, 1, lun.BlockSize, buffer);
            int now = session.InFlightCount;
            InterlockedMax(ref maxInFlight, now);
            var r = await task;
            Assert.True(r.IsGood);
            Assert.Equal(pattern.AsSpan(block * lun.BlockSize, lun.BlockSize).ToArray(), buffer);
        })).ToArray();
        await Task.WhenAll(tasks);
        Assert.True(maxInFlight > 1, $"at most {maxInFlight} command(s) were in flight at once");
        Assert.True(session.IsIdle);
        Assert.Equal(0, session.InFlightCount);
        var stats = session.Statistics;
        Assert.True(stats.CommandsSent >= 400);
        Assert.True(stats.DataInBytes >= 400L * lun.BlockSize);
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref location)) &&
               Interlocked.CompareExchange(ref location, value, current) != current) { }
    }

    [TargetFact]
    public async Task Lun_with_4096_byte_blocks_reads_and_writes()
    {
        var lun = target.Disk4KLun3;
        await using var session = await target.ConnectAsync(lun);
        var capacity = await session.ReadCapacityAsync(lun.Number);
        Assert.Equal(4096, capacity.BlockSize);
        Assert.Equal((ulong)lun.BlockCount, capacity.BlockCount);
        var data = TargetSession.RandomBytes(3 * 4096, 4);
        Assert.True((await session.WriteBlocksAsync(lun.Number, 7, 4096, data)).IsGood);
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, 7 * 4096, data.Length));
        var back = new byte[data.Length];
        Assert.True((await session.ReadBlocksAsync(lun.Number, 7, 3, 4096, back)).IsGood);
        Assert.Equal(data, back);
    }

    [TargetFact]
    public async Task Write_to_a_read_only_lun_is_data_protect_write_protected()
    {
        var lun = target.DiskReadOnlyLun4;
        await using var session = await target.ConnectAsync(lun);
        var before = TargetSession.ReadBackingFile(lun, 0, lun.BlockSize);
        var result = await session.WriteBlocksAsync(lun.Number, 0, lun.BlockSize, new byte[lun.BlockSize]);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        if (target.SendsSenseWithEveryCheckCondition)
        {
            Assert.NotNull(result.Sense);
            Assert.Equal(SenseKey.DataProtect, result.Sense!.SenseKey);
            Assert.Equal(0x27, result.Sense.Asc);
            Assert.Contains("WRITE PROTECTED", result.Sense.Description);
        }
        else
        {
            Assert.Null(result.Sense); // istgt: CHECK CONDITION with no sense data; the engine reports it as is
        }

        Assert.Equal(before, TargetSession.ReadBackingFile(lun, 0, lun.BlockSize));
        Assert.True(session.IsConnected);
    }

    [TargetFact]
    public async Task Read_past_capacity_is_illegal_request_lba_out_of_range_and_the_session_survives()
    {
        await using var session = await target.ConnectDiskAsync();
        var lun = target.DiskLun1;
        var buffer = new byte[lun.BlockSize];
        var result = await session.ReadBlocksAsync(lun.Number, (ulong)lun.BlockCount, 1, lun.BlockSize, buffer);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        if (target.SendsSenseWithEveryCheckCondition)
        {
            Assert.NotNull(result.Sense);
            Assert.Equal(SenseKey.IllegalRequest, result.Sense!.SenseKey);
            Assert.Equal(0x21, result.Sense.Asc);
        }
        else
        {
            Assert.Null(result.Sense); // istgt: CHECK CONDITION with no sense data; the engine reports it as is
        }

        Assert.Equal(0, result.DataInLength);
        Assert.True((await session.TestUnitReadyAsync(lun.Number)).IsGood);
    }

    [TargetFact]
    public async Task Report_luns_lists_every_lun_the_target_script_configured()
    {
        await using var session = await target.ConnectDiskAsync();
        Assert.Equal(target.DiskTargetLuns, (await session.ReportLunsAsync()).Order());
        await using var chap = await IscsiSession.ConnectAsync(target.Host, target.Port, target.ChapIqn, ChapOptions());
        Assert.Equal(target.AuthTargetLuns, (await chap.ReportLunsAsync()).Order());
    }

    private IscsiSessionOptions ChapOptions()
    {
        var options = TargetSession.Fast();
        options.Chap = new ChapCredential(target.ChapUser, target.ChapSecret);
        return options;
    }

    [TargetFact]
    public async Task Missing_lun_answers_logical_unit_not_supported()
    {
        await using var session = await target.ConnectDiskAsync();
        var result = await session.TestUnitReadyAsync(77);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(SenseKey.IllegalRequest, result.Sense!.SenseKey);
        Assert.Equal(0x25, result.Sense.Asc);
    }
}
