using Iscsi;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>The module's small pieces of logic that need no target: the pump's wake-ups, session references, sizes,
/// progress words, the import count, completion and text safety.</summary>
public sealed class ModuleLogicTests
{
    [Fact]
    public void Pump_wakes_once_for_a_call_that_ends_without_posting_anything()
    {
        // A pump that polls (it used to, every 50 ms) would wake several times while the call takes 400 ms.
        var pump = new PipelineThreadPump();
        int value = pump.Run(async _ =>
        {
            await Task.Delay(400).ConfigureAwait(false);
            return 7;
        }, CancellationToken.None);
        Assert.Equal(7, value);
        Assert.Equal(1, pump.TimesWoken);
    }

    [Fact]
    public void Pump_wakes_once_per_posted_item_and_once_for_the_end()
    {
        var pump = new PipelineThreadPump();
        var progress = pump.Progress<int>(_ => { });
        pump.Run(async _ =>
        {
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(100).ConfigureAwait(false);
                progress.Report(i);
            }
            await Task.Delay(100).ConfigureAwait(false);
            return 0;
        }, CancellationToken.None);
        Assert.Equal(4, pump.TimesWoken);
    }

    [Fact]
    public void A_call_that_completes_at_once_costs_no_wake_up()
    {
        var pump = new PipelineThreadPump();
        Assert.Equal(3, pump.Run(_ => Task.FromResult(3), CancellationToken.None));
        Assert.Equal(0, pump.TimesWoken);
    }

    [Theory]
    [InlineData("c0ffee000000-0001", "c0ffee000000-0001")]
    [InlineData("C0FFEE000000-0001 iqn.2026-11.test:disk", "c0ffee000000-0001")] // a session's ToString, as remoting gives it
    [InlineData("  c0ffee000000-0001", "c0ffee000000-0001")]
    [InlineData("c0ffee000000-00011", null)]
    [InlineData("iqn.2026-11.test:disk", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Session_references_are_recognised_in_text(string? text, string? expected)
        => Assert.Equal(expected, SessionReference.IdentifierIn(text));

    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1023UL, "1023 B")]
    [InlineData(1024UL, "1.00 KiB")]
    [InlineData(67108864UL, "64.0 MiB")]
    [InlineData(1099511627776UL, "1.00 TiB")]
    [InlineData(536870912000UL, "500 GiB")]
    public void Byte_sizes_read_in_binary_units(ulong bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void Progress_reads_in_units_with_the_rate()
    {
        Assert.Equal("Reading: 512 MiB of 1.00 GiB, 350 MB/s", ProgressText.Describe(new TransferProgress(TransferPhase.Reading, 512UL << 20, 1UL << 30), 350e6));
        Assert.Equal("Writing: 0 B of 4.00 KiB", ProgressText.Describe(new TransferProgress(TransferPhase.Writing, 0, 4096), 0));
    }

    [Fact]
    public void Only_the_last_removal_of_the_module_counts_as_last()
    {
        // Static, like the cache it guards: drain what other tests left, then count from zero.
        while (ModuleImports.Count > 0) ModuleImports.Removed();
        ModuleImports.Imported(); // the caller's runspace
        ModuleImports.Imported(); // a -Parallel runspace
        Assert.False(ModuleImports.Removed()); // the -Parallel runspace's Remove-Module: the caller still has it
        Assert.Equal(1, ModuleImports.Count);
        Assert.True(ModuleImports.Removed());
        // A removal PowerShell reports without a matching import is taken as the last; the count stays at zero.
        Assert.True(ModuleImports.Removed());
        Assert.Equal(0, ModuleImports.Count);
    }

    [Fact]
    public void Device_types_fit_the_lun_table()
    {
        foreach (var type in Enum.GetValues<PeripheralDeviceType>())
            Assert.InRange(DeviceTypeText.Short(type).Length, 1, 10);
        Assert.Equal("Disk", DeviceTypeText.Short(PeripheralDeviceType.DirectAccessBlock));
    }

    [Fact]
    public void Completion_offers_luns_in_order_and_by_prefix()
    {
        var luns = CompletionCandidates.Luns([4, 1, 10, 0, 1], "1", "iqn.2026-11.test:disk");
        Assert.Equal(["1", "10"], luns.Select(c => c.Text));
        Assert.Equal("LUN 10 of iqn.2026-11.test:disk", luns[1].ToolTip);
    }
}
