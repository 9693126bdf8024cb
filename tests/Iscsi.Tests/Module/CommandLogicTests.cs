using Iscsi.Scsi;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>CommandClassifier, ScsiCommandFactory, NameFilter, TransferOptions, CompletionCandidates: the pure decisions.</summary>
public sealed class CommandLogicTests
{
    [Theory]
    [InlineData(new byte[] { 0x12, 0, 0, 0, 36, 0 }, false, "INQUIRY")]
    [InlineData(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, false, "READ(10)")]
    [InlineData(new byte[] { 0x00, 0, 0, 0, 0, 0 }, false, "TEST UNIT READY")]
    [InlineData(new byte[] { 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, true, "WRITE(10)")]
    [InlineData(new byte[] { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 }, true, "UNMAP")]
    [InlineData(new byte[] { 0xC7, 0, 0, 0, 0, 0 }, true, "OPCODE 0xC7")]
    public void Data_changing_and_unknown_cdbs_need_ShouldProcess(byte[] cdb, bool changes, string name)
    {
        var decision = CommandClassifier.Classify(cdb, 3, "iqn.x:y");
        Assert.Equal(changes, decision.ChangesData);
        Assert.Equal(name, decision.CommandName);
        Assert.Equal("LUN 3 of iqn.x:y", decision.Target);
        Assert.Contains(Convert.ToHexString(cdb), decision.Action);
    }

    [Fact]
    public void Command_factory_checks_lengths_and_directions()
    {
        Assert.Equal("CdbLengthInvalid", Assert.Throws<IscsiArgumentException>(() => ScsiCommandFactory.Create(0, [1, 2, 3], 0, null, null)).ErrorId);
        Assert.Equal("CdbLengthInvalid", Assert.Throws<IscsiArgumentException>(() => ScsiCommandFactory.Create(0, new byte[17], 0, null, null)).ErrorId);
        Assert.Equal("DataDirectionConflict", Assert.Throws<IscsiArgumentException>(() => ScsiCommandFactory.Create(0, new byte[10], 512, new byte[512], null)).ErrorId);
        Assert.Equal("LunOutOfRange", Assert.Throws<IscsiArgumentException>(() => ScsiCommandFactory.Create(16384, new byte[6], 0, null, null)).ErrorId);
        var command = ScsiCommandFactory.Create(2, [0x12, 0, 0, 0, 36, 0], 36, null, 5);
        Assert.Equal((2, 36, TimeSpan.FromSeconds(5)), (command.Lun, command.ExpectedDataInLength, command.Timeout!.Value));
    }

    [Fact]
    public void Status_check_reports_non_good_unless_skipped()
    {
        var bad = new ScsiResult { Lun = 1, Cdb = [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0], Status = ScsiStatus.Busy };
        var error = ScsiCommandFactory.StatusError(bad, skipStatusCheck: false)!;
        Assert.Equal("ScsiStatus.Busy", error.ErrorId);
        Assert.Contains("READ(10) to LUN 1", error.Message);
        Assert.Null(ScsiCommandFactory.StatusError(bad, skipStatusCheck: true));
        Assert.Null(ScsiCommandFactory.StatusError(new ScsiResult { Lun = 1, Cdb = new byte[6], Status = ScsiStatus.Good }, false));
    }

    [Theory]
    [InlineData(null, "anything", true)]
    [InlineData("iqn.*:disk", "IQN.2026-11.test:disk", true)]
    [InlineData("iqn.*:disk", "iqn.2026-11.test:chap", false)]
    [InlineData("192.0.2.?", "192.0.2.7", true)]
    [InlineData("192.0.2.?", "192.0.2.70", false)]
    [InlineData("[ab]*", "b1", true)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("a+b", "aab", false)]
    public void Name_filter_uses_PowerShell_wildcards(string? pattern, string value, bool matches)
        => Assert.Equal(matches, new NameFilter(pattern is null ? null : [pattern]).IsMatch(value));

    [Fact]
    public void Transfer_options_round_to_blocks_and_refuse_silly_values()
    {
        Assert.Equal(2048u, new TransferOptions().BlocksPerRequest(512));
        Assert.Equal(1u, new TransferOptions { BufferSize = 1000 }.BlocksPerRequest(4096));
        Assert.Equal("BufferSizeOutOfRange", Assert.Throws<IscsiArgumentException>(() => new TransferOptions { BufferSize = 100 }.Validate()).ErrorId);
        Assert.Equal("BufferCountOutOfRange", Assert.Throws<IscsiArgumentException>(() => new TransferOptions { BufferCount = 0 }.Validate()).ErrorId);
    }

    [Fact]
    public void Write_source_must_be_exactly_one_of_data_and_path()
    {
        Assert.Equal("DataSourceMissing", Assert.Throws<IscsiArgumentException>(() => BlockTransfer.CheckWriteSource(null, null)).ErrorId);
        Assert.Equal("DataSourceConflict", Assert.Throws<IscsiArgumentException>(() => BlockTransfer.CheckWriteSource([1], "f")).ErrorId);
        BlockTransfer.CheckWriteSource([1], null);
        BlockTransfer.CheckWriteSource(null, "f");
    }

    [Fact]
    public void Unknown_session_identifier_and_portal_are_object_not_found()
    {
        var cache = new SessionCache();
        var ex = Assert.Throws<IscsiArgumentException>(() => cache.Get("0123456789ab-0001"));
        Assert.Equal("SessionNotFound", ex.ErrorId);
        Assert.Contains("0123456789ab-0001", ex.Message);
        Assert.Equal("SessionNotFound", Assert.Throws<IscsiArgumentException>(() => cache.GetByNodeAddress("iqn.x:y")).ErrorId);
        Assert.Equal("PortalNotFound", Assert.Throws<IscsiArgumentException>(() => cache.RemovePortal("h", 3260)).ErrorId);
        Assert.Equal("SessionRequired", Assert.Throws<IscsiArgumentException>(() => SessionResolver.Resolve(cache, null, null, null)).ErrorId);
        Assert.Empty(CompletionCandidates.SessionIdentifiers(cache, ""));
    }

    [Fact]
    public void Portals_are_replaced_by_address_and_port_and_removed_thread_safely()
    {
        var cache = new SessionCache();
        Parallel.For(0, 400, i =>
        {
            cache.AddPortal(new IscsiModule.IscsiTargetPortal($"10.0.0.{i % 50}", 3260, null, null));
            _ = cache.Portals.Count;
            _ = cache.FindPortal($"10.0.0.{(i + 7) % 50}", 3260);
        });
        Assert.Equal(50, cache.Portals.Count);
        Parallel.For(0, 50, i => cache.RemovePortal($"10.0.0.{i}", 3260));
        Assert.Empty(cache.Portals);
    }

    [Fact]
    public void Session_identifier_is_isid_and_tsih_in_hex()
        => Assert.Equal("400001370000-000a", IscsiModule.IscsiSessionInfo.MakeIdentifier(0x4000_0137_0000UL, 0x000A));

    [Fact]
    public void Pump_runs_posted_work_on_the_calling_thread_and_unwraps_failures()
    {
        var pump = new PipelineThreadPump();
        int caller = Environment.CurrentManagedThreadId;
        var seen = new List<int>();
        var progress = pump.Progress<int>(_ => seen.Add(Environment.CurrentManagedThreadId));
        int value = pump.Run(async ct =>
        {
            for (int i = 0; i < 5; i++)
            {
                await Task.Delay(5, ct).ConfigureAwait(false);
                progress.Report(i);
            }
            return 42;
        }, CancellationToken.None);
        Assert.Equal(42, value);
        Assert.Equal(5, seen.Count);
        Assert.All(seen, id => Assert.Equal(caller, id));
        Assert.Throws<IscsiTimeoutException>(() => pump.Run<int>(_ => Task.FromException<int>(new IscsiTimeoutException("m", TimeSpan.Zero)), CancellationToken.None));
    }

    [Fact]
    public void A_stopped_pipeline_refusing_progress_does_not_cut_the_wait_for_the_call_short()
    {
        // After Ctrl+C, WriteProgress throws PipelineStoppedException. The pump must drop that report and still wait
        // for the call, whose own outcome (here: a transfer saying what it kept) is what the cmdlet reports.
        var pump = new PipelineThreadPump();
        using var stop = new CancellationTokenSource();
        var progress = pump.Progress<int>(_ =>
        {
            if (stop.IsCancellationRequested) throw new OperationCanceledException("the pipeline is stopping"); // as WriteProgress would
        });
        var error = Assert.Throws<InvalidOperationException>(() => pump.Run<int>(async ct =>
        {
            stop.Cancel();
            progress.Report(1);
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            progress.Report(2);
            throw new InvalidOperationException("stopped after 8 MiB");
        }, stop.Token));
        Assert.Equal("stopped after 8 MiB", error.Message);
    }

    [Fact]
    public void Pump_gives_up_on_a_call_that_ignores_the_stop_token_after_the_grace_period()
    {
        var pump = new PipelineThreadPump();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var never = new TaskCompletionSource<int>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => pump.Run(_ => never.Task, stop.Token));
        Assert.InRange(watch.Elapsed, PipelineThreadPump.StopGrace, PipelineThreadPump.StopGrace + TimeSpan.FromSeconds(2));
    }
}
