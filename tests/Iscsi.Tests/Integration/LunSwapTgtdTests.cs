using System.Globalization;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>The LU behind an IQN and LUN changes while the session is away (an administrator re-created it on another
/// file, or gave it another serial number), on a real tgtd. After the reconnect the session must notice before it
/// writes another byte: the write fails with LogicalUnitChanged and neither LU gets its data.</summary>
[Collection(TgtdCollection.Name)]
public sealed class LunSwapTgtdTests(TgtdTarget target)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const int Blocks = 16384; // 8 MiB of 512-byte blocks

    [RequiresTgtdTheory]
    [InlineData("serial")]
    [InlineData("capacity")]
    public async Task A_write_after_the_lu_was_swapped_fails_and_reaches_neither_lu(string change)
    {
        int tid = 200 + Random.Shared.Next(0, 50_000);
        string iqn = $"iqn.2026-11.test.iscsimodule:swap-{tid}";
        string dir = Directory.CreateTempSubdirectory("iscsimodule-swap-").FullName;
        string original = Path.Combine(dir, "original.img"), other = Path.Combine(dir, "other.img");
        File.WriteAllBytes(original, new byte[Blocks * 512]);
        File.WriteAllBytes(other, new byte[(change == "capacity" ? Blocks / 2 : Blocks) * 512]);
        try
        {
            await TgtadmAsync("--mode", "target", "--op", "new", "--tid", $"{tid}", "--targetname", iqn);
            await TgtadmAsync("--mode", "logicalunit", "--op", "new", "--tid", $"{tid}", "--lun", "1", "--backing-store", original);
            await TgtadmAsync("--mode", "logicalunit", "--op", "update", "--tid", $"{tid}", "--lun", "1", "--params", "scsi_sn=SWAPTEST01");
            await TgtadmAsync("--mode", "target", "--op", "bind", "--tid", $"{tid}", "--initiator-address", "ALL");

            await using var proxy = new FaultProxy(target.Host, target.Port);
            var options = TargetSession.Fast();
            options.ReconnectTimeout = TimeSpan.FromSeconds(30);
            options.DefaultTime2Wait = 0;
            await using var session = await IscsiSession.ConnectAsync(proxy.Host, proxy.Port, iqn, options);
            var before = TargetSession.RandomBytes(64 * 1024, 5);
            Assert.True((await session.WriteBlocksAsync(1, 0, 512, before).WaitAsync(Bound)).IsGood); // learns the LU

            if (change == "serial")
            {
                await TgtadmAsync("--mode", "logicalunit", "--op", "update", "--tid", $"{tid}", "--lun", "1", "--params", "scsi_sn=SWAPTEST02");
            }
            else
            {
                await TgtadmAsync("--mode", "logicalunit", "--op", "delete", "--tid", $"{tid}", "--lun", "1");
                await TgtadmAsync("--mode", "logicalunit", "--op", "new", "--tid", $"{tid}", "--lun", "1", "--backing-store", other);
                await TgtadmAsync("--mode", "logicalunit", "--op", "update", "--tid", $"{tid}", "--lun", "1", "--params", "scsi_sn=SWAPTEST01");
            }
            proxy.DropConnections();
            // tgtd changed the LU without a word to the live session: only a reinstatement is checked, so wait for the
            // session to see the drop (otherwise the write could still go out on the old connection, legitimately).
            await TargetSession.WaitUntilAsync(() => session.Statistics.ConnectionLosses >= 1, "the session sees the drop", Bound);

            var after = TargetSession.RandomBytes(64 * 1024, 6);
            var error = await Assert.ThrowsAsync<LogicalUnitChangedException>(
                () => session.WriteBlocksAsync(1, 128, 512, after).WaitAsync(Bound));
            Assert.Equal("LogicalUnitChanged", error.ErrorId);
            Assert.Contains(change == "serial" ? "serial number (VPD 80h) was SWAPTEST01, is now SWAPTEST02" : "capacity was 16384 blocks", error.Message);
            Assert.Equal(1, session.Statistics.Reconnects);

            Assert.Equal(before, File.ReadAllBytes(original).AsSpan(0, before.Length).ToArray()); // the acknowledged write is there
            Assert.All(File.ReadAllBytes(original).AsSpan(before.Length).ToArray(), b => Assert.Equal(0, b)); // the refused one is not
            Assert.All(File.ReadAllBytes(other), b => Assert.Equal(0, b)); // nor on the other LU
        }
        finally
        {
            await ProcessRunner.RunAsync("tgtadm", [.. ControlArgs(), "--mode", "target", "--op", "delete", "--force", "--tid", $"{tid}"]);
            Directory.Delete(dir, recursive: true);
        }
    }

    private string[] ControlArgs() => ["-C", target.ControlPort.ToString(CultureInfo.InvariantCulture), "--lld", "iscsi"];

    private async Task TgtadmAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("tgtadm", [.. ControlArgs(), .. arguments]);
        Assert.True(result.Succeeded, result.Describe());
    }
}
