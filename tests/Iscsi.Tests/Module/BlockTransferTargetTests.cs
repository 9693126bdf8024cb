using Iscsi.Scsi;
using Iscsi.Tests.Infrastructure;
using Iscsi.Tests.Integration;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>Read-IscsiBlock / Write-IscsiBlock logic against tgtd, checked against the LUNs' backing files.</summary>
[Collection(TgtdCollection.Name)]
public sealed class BlockTransferTargetTests(TgtdTarget target) : IAsyncLifetime
{
    private readonly SessionCache _cache = new();
    private IscsiModule.IscsiSessionInfo _session = null!;

    public async Task InitializeAsync()
    {
        if (target.IsRunning) _session = await target.ConnectDiskAsync(_cache);
    }

    public Task DisposeAsync() => _cache.LogoutAllAsync();

    private static readonly TransferOptions Small = new() { BufferSize = 64 * 1024, BufferCount = 3 };

    [RequiresTgtdFact]
    public async Task Read_into_memory_matches_the_backing_file_across_many_pipelined_requests()
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(700 * 1024, 11); // 11 requests of 64 KiB, the last one short
        TargetSession.WriteBackingFile(lun, 3000L * lun.BlockSize, data);
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        var reports = new List<TransferProgress>();
        var read = await transfer.ReadAsync(3000, (ulong)(data.Length / lun.BlockSize), Small, new SyncProgress(reports), CancellationToken.None);
        Assert.Equal(data, read);
        Assert.Equal(11, reports.Count);
        Assert.Equal((ulong)data.Length, reports[^1].BytesDone);
        Assert.Equal(100, reports[^1].PercentComplete);
        Assert.True(reports.Select(r => r.BytesDone).SequenceEqual(reports.Select(r => r.BytesDone).Order()));
    }

    [RequiresTgtdFact]
    public async Task Read_to_file_streams_the_range_on_a_4K_lun()
    {
        var lun = target.Disk4KLun3;
        var data = TargetSession.RandomBytes(40 * lun.BlockSize, 12);
        TargetSession.WriteBackingFile(lun, 77L * lun.BlockSize, data);
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        Assert.Equal(4096, transfer.BlockSize);
        string path = Path.Combine(target.WorkDirectory, "read-4k.bin");
        var summary = await transfer.ReadToFileAsync(path, 77, 40, new TransferOptions { BufferSize = 5 * 4096, BufferCount = 2 }, null, CancellationToken.None);
        Assert.Equal(data, File.ReadAllBytes(path));
        Assert.Equal((77UL, 40UL, (ulong)data.Length, path), (summary.Lba, summary.BlockCount, summary.Bytes, summary.Path));
    }

    [RequiresTgtdFact]
    public async Task Read_to_dev_null_takes_the_whole_range()
    {
        if (!OperatingSystem.IsLinux()) return; // the Linux name of the null device
        var transfer = await BlockTransfer.OpenAsync(_session, target.DiskLun1.Number, CancellationToken.None);
        var reports = new List<TransferProgress>();
        // 700 KiB in 64 KiB requests: 11 requests, the last one short.
        var summary = await transfer.ReadToFileAsync("/dev/null", 5000, 1400, Small, new SyncProgress(reports), CancellationToken.None);
        Assert.Equal(700UL * 1024, summary.Bytes);
        Assert.Equal(11, reports.Count);
        Assert.Equal(700UL * 1024, reports[^1].BytesDone);
    }

    [RequiresTgtdFact]
    public async Task Range_past_capacity_is_LbaOutOfRange_naming_the_last_block()
    {
        var lun = target.DiskLun1;
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        ulong last = (ulong)lun.BlockCount - 1;
        var past = await Assert.ThrowsAsync<IscsiArgumentException>(() => transfer.ReadAsync(last + 1, 1, Small, null, CancellationToken.None));
        Assert.Equal("LbaOutOfRange", past.ErrorId);
        Assert.Contains($"LBA {last + 1}", past.Message);
        Assert.Contains($"last block is {last}", past.Message);
        var overlap = Assert.Throws<IscsiArgumentException>(() => transfer.CheckRange(last, 2));
        Assert.Equal("LbaOutOfRange", overlap.ErrorId);
        Assert.Contains("at most 1 blocks fit", overlap.Message);
        transfer.CheckRange(last, 1);
        Assert.Equal("BlockCountInvalid", Assert.Throws<IscsiArgumentException>(() => transfer.CheckRange(0, 0)).ErrorId);
        var huge = await BlockTransfer.OpenAsync(_session, target.DiskNullLun2.Number, CancellationToken.None);
        Assert.Equal("TransferTooLargeForMemory", (await Assert.ThrowsAsync<IscsiArgumentException>(
            () => huge.ReadAsync(0, 1UL << 22, Small, null, CancellationToken.None))).ErrorId);
    }

    [RequiresTgtdFact]
    public async Task Data_that_is_not_a_whole_number_of_blocks_is_refused_before_anything_is_sent()
    {
        var transfer = await BlockTransfer.OpenAsync(_session, target.DiskLun1.Number, CancellationToken.None);
        long commandsBefore = _session.Statistics.CommandsSent;
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => transfer.WriteAsync(new byte[1000], 0, false, Small, null, CancellationToken.None));
        Assert.Equal("DataNotBlockMultiple", ex.ErrorId);
        Assert.Contains("1000", ex.Message);
        Assert.Contains("512", ex.Message);
        Assert.Equal(commandsBefore, _session.Statistics.CommandsSent);
        Assert.Equal("DataNotBlockMultiple", (await Assert.ThrowsAsync<IscsiArgumentException>(
            () => transfer.WriteAsync(ReadOnlyMemory<byte>.Empty, 0, false, Small, null, CancellationToken.None))).ErrorId);
    }

    [RequiresTgtdFact]
    public async Task Write_with_verify_lands_in_the_backing_file()
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(300 * 1024, 13);
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        var reports = new List<TransferProgress>();
        var summary = await transfer.WriteAsync(data, 5000, verify: true, Small, new SyncProgress(reports), CancellationToken.None);
        Assert.True(summary.Verified);
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, 5000L * lun.BlockSize, data.Length));
        Assert.Contains(reports, r => r.Phase == TransferPhase.Writing);
        Assert.Equal(TransferPhase.Verifying, reports[^1].Phase);
    }

    [RequiresTgtdFact]
    public async Task Write_from_a_file_lands_in_the_backing_file()
    {
        var lun = target.Disk4KLun3;
        var data = TargetSession.RandomBytes(9 * lun.BlockSize, 14);
        string path = Path.Combine(target.WorkDirectory, "write-src.bin");
        await File.WriteAllBytesAsync(path, data);
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        var summary = await transfer.WriteFileAsync(path, 200, verify: true, new TransferOptions { BufferSize = 2 * 4096, BufferCount = 4 }, null, CancellationToken.None);
        Assert.Equal(9UL, summary.BlockCount);
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, 200L * lun.BlockSize, data.Length));
        await File.WriteAllBytesAsync(path, new byte[4097]);
        Assert.Equal("DataNotBlockMultiple", (await Assert.ThrowsAsync<IscsiArgumentException>(
            () => transfer.WriteFileAsync(path, 0, false, Small, null, CancellationToken.None))).ErrorId);
    }

    [RequiresTgtdFact]
    public async Task Verify_reports_the_first_block_that_reads_back_differently()
    {
        // Between the last WRITE and the re-read, change byte 7 of block 3 behind the target's back
        // (tgtd's file backing store reads the file afresh): verification must name block 6003.
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(8 * lun.BlockSize, 15);
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        var tamper = new SyncProgress(new List<TransferProgress>(), p =>
        {
            if (p.Phase == TransferPhase.Writing && p.BytesDone == p.TotalBytes)
                TargetSession.WriteBackingFile(lun, 6003L * lun.BlockSize + 7, [(byte)~data[3 * lun.BlockSize + 7]]);
        });
        var ex = await Assert.ThrowsAsync<BlockVerifyException>(() => transfer.WriteAsync(data, 6000, verify: true, Small, tamper, CancellationToken.None));
        Assert.True(6003UL == ex.Lba, ex.Message);
        Assert.Contains("block 6003", ex.Message);
        Assert.Contains("byte 7", ex.Message);
        Assert.Equal(ModuleErrorCategory.WriteError, ErrorMapper.Map(ex).Category);
    }

    [RequiresTgtdFact]
    public async Task Write_to_the_read_only_lun_is_a_write_error()
    {
        var transfer = await BlockTransfer.OpenAsync(_session, target.DiskReadOnlyLun4.Number, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ScsiCommandException>(() => transfer.WriteAsync(new byte[512], 0, false, Small, null, CancellationToken.None));
        var mapped = ErrorMapper.Map(ex);
        Assert.Equal("ScsiCheckCondition.DataProtect", mapped.ErrorId);
        Assert.Equal(ModuleErrorCategory.WriteError, mapped.Category);
        Assert.Contains("LBA 0 of LUN 4", mapped.Message);
        Assert.True(_session.IsConnected);
    }

    [RequiresTgtdFact]
    public async Task Stopping_a_read_to_file_keeps_a_clean_prefix_and_the_session_usable()
    {
        var lun = target.DiskNullLun2; // 1 TiB of zeros: plenty to be stopped in the middle of
        var transfer = await BlockTransfer.OpenAsync(_session, lun.Number, CancellationToken.None);
        string path = Path.Combine(target.WorkDirectory, "stopped.bin");
        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(new List<TransferProgress>(), p => { if (p.BytesDone >= 4 * 1024 * 1024) stop.Cancel(); });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<BlockTransferStoppedException>(() => transfer.ReadToFileAsync(path, 0, 1UL << 24,
            new TransferOptions { BufferSize = 256 * 1024, BufferCount = 4 }, progress, stop.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed}");
        long length = new FileInfo(path).Length;
        Assert.Equal((long)ex.BytesCompleted, length);
        Assert.True(length >= 4 * 1024 * 1024);
        Assert.Equal(0, length % (256 * 1024));
        Assert.Contains(path, ex.Message);
        Assert.Equal(ModuleErrorCategory.OperationStopped, ErrorMapper.Map(ex).Category);
        Assert.True(_session.IsConnected);
        Assert.Equal(512, (await transfer.ReadAsync(0, 1, Small, null, CancellationToken.None)).Length);
    }

    [RequiresTgtdFact]
    public async Task A_closed_session_is_refused_before_any_io()
    {
        var cache = new SessionCache();
        var session = await target.ConnectDiskAsync(cache);
        await SessionConnector.DisconnectAsync(cache, session, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => BlockTransfer.OpenAsync(session, 1, CancellationToken.None));
        Assert.Equal("SessionClosed", ex.ErrorId);
    }

    /// <summary>Progress reported synchronously on the reporting thread (System.Progress would post to the pool).</summary>
    private sealed class SyncProgress(List<TransferProgress> reports, Action<TransferProgress>? also = null) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (reports) reports.Add(value);
            also?.Invoke(value);
        }
    }
}
