using Xunit.Abstractions;
using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>Real tgtd sessions through a <see cref="FaultProxy"/>: corrupted digests, corrupted headers and data
/// without digests, dropped and stalled connections. Whatever the fault, a command ends (result or IscsiException)
/// within a bound, never hands back wrong data it claims is good when digests are on, and never hangs.</summary>
[Collection(TgtdCollection.Name)]
public sealed class FaultInjectionTests(TgtdTarget target, ITestOutputHelper output)
{
    private const ProxyDirection ToTarget = ProxyDirection.InitiatorToTarget;
    private const ProxyDirection ToInitiator = ProxyDirection.TargetToInitiator;

    /// <summary>LUN 1 blocks from here on belong to these tests (the other tgtd tests stay below it).</summary>
    private const ulong PrivateLba = 80_000;

    /// <summary>No command may take longer than this, whatever the fault: command timeout + abort + LUN RESET
    /// escalation (each bounded by the command timeout) with room to spare on a loaded machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [RequiresTgtdFact]
    public async Task A_data_digest_error_in_data_in_never_yields_wrong_data_and_the_session_goes_on()
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(512 * 1024, 51);
        TargetSession.WriteBackingFile(lun, (long)PrivateLba * lun.BlockSize, data);
        await using var proxy = NewProxy(digests: true);
        // The damage goes into the second Data-In of the read, so the read must come in several: 128 KiB PDUs.
        var options = Options(digests: true);
        options.MaxRecvDataSegmentLength = 128 * 1024;
        await using var session = await ConnectAsync(proxy, options);
        Assert.True(session.Negotiated.HeaderDigest && session.Negotiated.DataDigest, "tgtd did not agree to CRC32C digests");
        await TakeUnitAttentionAsync(session, lun);
        var flip = proxy.Add(FaultRule.FlipDataBit(ToInitiator, Opcode.DataIn, occurrence: 2, byteOffset: 1000, bit: 2));

        var back = new byte[data.Length];
        var result = await ReadAsync(session, lun, PrivateLba, back);
        // ERL 0 has no SNACK: the engine repeats the whole read, and only the right data is acceptable.
        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(data, back);
        Assert.Equal(1, session.Statistics.CommandsRepeated);
        Assert.Equal(1, flip.FiredCount);

        Assert.True(session.IsConnected);
        var again = new byte[data.Length];
        Assert.True((await ReadAsync(session, lun, PrivateLba, again)).IsGood);
        Assert.Equal(data, again);
    }

    [RequiresTgtdFact]
    public async Task A_data_digest_error_in_data_in_is_counted_in_the_statistics()
    {
        var lun = target.DiskLun1;
        await using var proxy = NewProxy(digests: true);
        await using var session = await ConnectAsync(proxy, Options(digests: true));
        await TakeUnitAttentionAsync(session, lun);
        proxy.Add(FaultRule.FlipDataBit(ToInitiator, Opcode.DataIn, occurrence: 1, byteOffset: 0, bit: 0));
        long before = session.Statistics.DigestErrors;
        try
        {
            await ReadAsync(session, lun, PrivateLba, new byte[64 * 1024]);
        }
        catch (IscsiProtocolException ex) when (ex.ErrorId == "DataDigestError")
        {
            // Either outcome is fine here; the other test checks which.
        }
        Assert.Equal(before + 1, session.Statistics.DigestErrors);
    }

    [RequiresTgtdTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_header_digest_error_from_the_target_closes_the_connection_which_is_then_recovered_or_the_command_fails(bool reconnect)
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(64 * 1024, 52);
        TargetSession.WriteBackingFile(lun, (long)PrivateLba * lun.BlockSize, data);
        await using var proxy = NewProxy(digests: true);
        await using var session = await ConnectAsync(proxy, Options(digests: true, reconnect: reconnect));
        await TakeUnitAttentionAsync(session, lun);
        proxy.Add(FaultRule.FlipHeaderBit(ToInitiator, Opcode.DataIn, occurrence: 1, byteOffset: 20, bit: 5));

        if (reconnect)
        {
            // The connection cannot be trusted after a header digest error: it is dropped, the session logs in again
            // and repeats the read.
            var back = new byte[data.Length];
            Assert.True((await ReadAsync(session, lun, PrivateLba, back)).IsGood);
            Assert.Equal(data, back);
            Assert.Equal(1, session.Statistics.Reconnects);
            Assert.True(session.IsConnected);
        }
        else
        {
            var ex = await Assert.ThrowsAnyAsync<IscsiException>(() => ReadAsync(session, lun, PrivateLba, new byte[64 * 1024]));
            output.WriteLine($"the read failed: {ex.GetType().Name} {ex.ErrorId}: {ex.Message}");
            Assert.True(ex.ErrorId is "HeaderDigestError" or "ConnectionLost" or "ConnectionClosed", $"{ex.ErrorId}: {ex.Message}");
            Assert.False(session.IsConnected);
            // The next command fails at once, it does not wait for a dead connection.
            await Assert.ThrowsAnyAsync<IscsiException>(() => session.TestUnitReadyAsync(lun.Number).WaitAsync(Bound));
        }
        Assert.True(session.Statistics.DigestErrors >= 1);
    }

    [RequiresTgtdFact]
    public async Task A_data_digest_error_in_data_out_never_leaves_flipped_data_behind_a_good_status()
    {
        var lun = target.DiskLun1;
        const ulong lba = PrivateLba + 2048;
        var data = TargetSession.RandomBytes(128 * 1024, 52);
        var before = new byte[data.Length];
        TargetSession.WriteBackingFile(lun, (long)lba * lun.BlockSize, before);
        await using var proxy = NewProxy(digests: true);
        var options = Options(digests: true);
        options.ImmediateData = false; // every byte travels in Data-Out PDUs
        await using var session = await ConnectAsync(proxy, options);
        await TakeUnitAttentionAsync(session, lun);
        var flip = proxy.Add(FaultRule.FlipDataBit(ToTarget, Opcode.DataOut, occurrence: 1, byteOffset: 700, bit: 0));

        ScsiResult? result = null;
        try
        {
            result = await session.WriteBlocksAsync(lun.Number, lba, lun.BlockSize, data).WaitAsync(Bound);
        }
        catch (IscsiException ex)
        {
            // Failing cleanly is fine: tgtd saw the bad digest (and closes the connection at ERL 0).
            output.WriteLine($"the write failed: {ex.GetType().Name} {ex.ErrorId}: {ex.Message}");
        }
        Assert.Equal(1, flip.FiredCount);
        var onDisk = TargetSession.ReadBackingFile(lun, (long)lba * lun.BlockSize, data.Length);
        Assert.False(onDisk[700] == (data[700] ^ 1) && onDisk.AsSpan(701).SequenceEqual(data.AsSpan(701)),
            "the backing file holds the flipped Data-Out");
        if (result is { IsGood: true })
            Assert.Equal(data, onDisk);
    }

    public static TheoryData<ProxyDirection, Opcode, PduRegion, int, int> CorruptionsWithoutDigests => new()
    {
        // direction, opcode, region, byte offset, bit
        { ToInitiator, Opcode.DataIn, PduRegion.Header, 5, 7 },          // DataSegmentLength + 8 MiB
        { ToInitiator, Opcode.DataIn, PduRegion.Header, 19, 0 },         // Initiator Task Tag
        { ToInitiator, Opcode.DataIn, PduRegion.Header, 42, 4 },         // Buffer Offset
        { ToInitiator, Opcode.DataIn, PduRegion.Data, 10, 1 },           // payload: undetectable without digests
        { ToInitiator, Opcode.ScsiResponse, PduRegion.Header, 3, 1 },    // SCSI status
        { ToInitiator, Opcode.ScsiResponse, PduRegion.Header, 4, 0 },    // TotalAHSLength: the framing slips
        { ToInitiator, Opcode.ReadyToTransfer, PduRegion.Header, 46, 3 }, // Desired Data Transfer Length
        { ToTarget, Opcode.ScsiCommand, PduRegion.Header, 20, 2 },       // Expected Data Transfer Length
        { ToTarget, Opcode.ScsiCommand, PduRegion.Header, 7, 0 },        // DataSegmentLength of immediate data
        { ToTarget, Opcode.DataOut, PduRegion.Header, 41, 6 },           // Buffer Offset
        { ToTarget, Opcode.DataOut, PduRegion.Data, 3, 3 },              // payload
    };

    [RequiresTgtdTheory]
    [MemberData(nameof(CorruptionsWithoutDigests))]
    public async Task Without_digests_a_corrupted_pdu_ends_every_command_with_a_result_or_an_iscsi_exception_in_time(
        ProxyDirection direction, Opcode opcode, PduRegion region, int byteOffset, int bit)
    {
        var lun = target.DiskNullLun2; // null-backed: a write whose header went wrong lands nowhere
        await using var proxy = NewProxy(digests: false);
        // A 1 s command timeout: a corrupted command that tgtd never answers costs timeout + ABORT TASK + LUN RESET.
        var options = Options(digests: false, commandTimeout: TimeSpan.FromSeconds(1));
        options.FirstBurstLength = 65536; // a 256 KiB write: immediate data, unsolicited Data-Out, then R2T
        await using var session = await ConnectAsync(proxy, options);
        await TakeUnitAttentionAsync(session, lun);
        var flip = proxy.Add(region == PduRegion.Header
            ? FaultRule.FlipHeaderBit(direction, opcode, occurrence: 1, byteOffset, bit)
            : FaultRule.FlipDataBit(direction, opcode, occurrence: 1, byteOffset, bit));

        // Until the first failure, then one more command: whatever state the fault left, it must end in time too.
        Func<Task>[] workload =
        [
            () => session.WriteBlocksAsync(lun.Number, 0, lun.BlockSize, new byte[256 * 1024]),
            () => ReadAsync(session, lun, 0, new byte[256 * 1024]),
            () => session.TestUnitReadyAsync(lun.Number),
        ];
        foreach (var command in workload)
        {
            if (!await EndsInTimeAsync(command)) break;
        }
        await EndsInTimeAsync(() => session.TestUnitReadyAsync(lun.Number));
        Assert.Equal(1, flip.FiredCount);
    }

    [RequiresTgtdFact]
    public async Task A_connection_dropped_mid_read_fails_the_read_as_lost_when_reconnecting_is_off_and_a_new_session_works()
    {
        var lun = target.DiskNullLun2;
        await using var proxy = NewProxy(digests: false);
        using var unobserved = new UnobservedExceptions($":{proxy.Port}");
        await using (var session = await ConnectAsync(proxy, Options(digests: false, reconnect: false)))
        {
            await TakeUnitAttentionAsync(session, lun);
            var drop = proxy.Add(FaultRule.DropAfterBytes(ToInitiator, 1024 * 1024));
            var ex = await Assert.ThrowsAsync<IscsiConnectionException>(() => ReadAsync(session, lun, 0, new byte[4 * 1024 * 1024]));
            Assert.Equal("ConnectionLost", ex.ErrorId);
            Assert.Equal(1, drop.FiredCount);
            Assert.False(session.IsConnected);
        }
        await AssertNewSessionWorksAsync(proxy, lun);
        Assert.Equal(2, proxy.ConnectionsAccepted);
        unobserved.AssertNone();
    }

    [RequiresTgtdFact]
    public async Task A_connection_dropped_mid_write_fails_the_write_as_lost_when_reconnecting_is_off_and_a_new_session_works()
    {
        var lun = target.DiskNullLun2;
        await using var proxy = NewProxy(digests: false);
        using var unobserved = new UnobservedExceptions($":{proxy.Port}");
        await using (var session = await ConnectAsync(proxy, Options(digests: false, reconnect: false)))
        {
            await TakeUnitAttentionAsync(session, lun);
            var drop = proxy.Add(FaultRule.DropAfterBytes(ToTarget, 300 * 1024));
            var ex = await Assert.ThrowsAsync<IscsiConnectionException>(
                () => session.WriteBlocksAsync(lun.Number, 0, lun.BlockSize, new byte[2 * 1024 * 1024]).WaitAsync(Bound));
            Assert.Equal("ConnectionLost", ex.ErrorId);
            Assert.Equal(1, drop.FiredCount);
        }
        await AssertNewSessionWorksAsync(proxy, lun);
        unobserved.AssertNone();
    }

    [RequiresTgtdTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_read_or_write_cut_off_by_a_dropped_connection_is_repeated_after_the_reconnect(bool write)
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(2 * 1024 * 1024, 53);
        TargetSession.WriteBackingFile(lun, (long)PrivateLba * lun.BlockSize, write ? new byte[data.Length] : data);
        await using var proxy = NewProxy(digests: false);
        using var unobserved = new UnobservedExceptions($":{proxy.Port}");
        await using var session = await ConnectAsync(proxy, Options(digests: false, reconnect: true));
        await TakeUnitAttentionAsync(session, lun);
        var drop = proxy.Add(write ? FaultRule.DropAfterBytes(ToTarget, 300 * 1024) : FaultRule.DropAfterBytes(ToInitiator, 1024 * 1024));

        var back = new byte[data.Length];
        var result = write
            ? await session.WriteBlocksAsync(lun.Number, PrivateLba, lun.BlockSize, data).WaitAsync(Bound)
            : await ReadAsync(session, lun, PrivateLba, back);

        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(1, drop.FiredCount);
        Assert.Equal(data, write ? TargetSession.ReadBackingFile(lun, (long)PrivateLba * lun.BlockSize, data.Length) : back);
        var stats = session.Statistics;
        Assert.Equal((1L, 1L), (stats.ConnectionLosses, stats.Reconnects));
        Assert.True(stats.CommandsRepeated >= 1);
        Assert.Equal(2, proxy.ConnectionsAccepted);
        unobserved.AssertNone();
    }

    [RequiresTgtdFact]
    public async Task A_stall_longer_than_the_command_timeout_times_the_command_out()
    {
        var lun = target.DiskLun1;
        await using var proxy = NewProxy(digests: false);
        await using var session = await ConnectAsync(proxy, Options(digests: false, commandTimeout: TimeSpan.FromSeconds(1)));
        await TakeUnitAttentionAsync(session, lun);
        var stall = proxy.Add(FaultRule.Stall(ToInitiator));

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<IscsiTimeoutException>(() => session.TestUnitReadyAsync(lun.Number).WaitAsync(Bound));
        Assert.Equal("Timeout", ex.ErrorId);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"timed out after only {clock.ElapsedMilliseconds} ms");
        Assert.True(session.Statistics.Timeouts >= 1);
        Assert.Equal(1, stall.FiredCount);

        // Released, the target's held answers (the command's, the abort's) arrive; the session carries on.
        stall.Release();
        ScsiResult? check = null;
        for (int attempt = 0; attempt < 3 && check is not { IsGood: true }; attempt++)
            check = await session.ExecuteAsync(new ScsiCommand(lun.Number, Cdb.TestUnitReady()) { Timeout = TimeSpan.FromSeconds(10) }).WaitAsync(Bound);
        Assert.True(check!.IsGood, check.ToString());
    }

    private FaultProxy NewProxy(bool digests)
        => new(target.Host, target.Port, new FaultProxyOptions { HeaderDigest = digests, DataDigest = digests });

    private Task<IscsiSession> ConnectAsync(FaultProxy proxy, IscsiSessionOptions options)
        => IscsiSession.ConnectAsync(proxy.Host, proxy.Port, target.DiskIqn, options);

    private static IscsiSessionOptions Options(bool digests, TimeSpan? commandTimeout = null, bool reconnect = true)
    {
        var options = TargetSession.Fast();
        options.ReconnectAttempts = reconnect ? 5 : 0;
        options.HeaderDigest = digests;
        options.DataDigest = digests;
        options.CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(5);
        return options;
    }

    /// <summary>tgtd reports a UNIT ATTENTION on a new nexus's first command, and the engine's block helpers then
    /// run the command again: a fault armed before this would hit the discarded first attempt, not the command
    /// the test looks at.</summary>
    private static async Task TakeUnitAttentionAsync(IscsiSession session, TargetLun lun)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if ((await session.ExecuteAsync(new ScsiCommand(lun.Number, Cdb.TestUnitReady())).WaitAsync(Bound)).IsGood) return;
        }
        Assert.Fail("TEST UNIT READY did not come back GOOD after three tries");
    }

    private static Task<ScsiResult> ReadAsync(IscsiSession session, TargetLun lun, ulong lba, byte[] buffer)
        => session.ReadBlocksAsync(lun.Number, lba, buffer.Length / lun.BlockSize, lun.BlockSize, buffer).WaitAsync(Bound);

    /// <summary>The command ends within <see cref="Bound"/> with a result or an IscsiException (returns false);
    /// anything else (another exception type, or no end at all) fails the test.</summary>
    private async Task<bool> EndsInTimeAsync(Func<Task> command)
    {
        var clock = Stopwatch.StartNew();
        var run = Task.Run(async () =>
        {
            try
            {
                await command();
                return "completed";
            }
            catch (IscsiException ex)
            {
                return $"{ex.GetType().Name} {ex.ErrorId}";
            }
        });
        string outcome = await run.WaitAsync(Bound); // a TimeoutException here means a hang
        output.WriteLine($"{outcome} after {clock.ElapsedMilliseconds} ms");
        return outcome == "completed";
    }

    private async Task AssertNewSessionWorksAsync(FaultProxy proxy, TargetLun lun)
    {
        await using var fresh = await ConnectAsync(proxy, Options(digests: false));
        await TakeUnitAttentionAsync(fresh, lun);
        var result = await ReadAsync(fresh, lun, 0, new byte[1024 * 1024]);
        Assert.True(result.IsGood, result.ToString());
        Assert.True(fresh.IsConnected);
    }
}
