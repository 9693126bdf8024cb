using Iscsi.Tests.Infrastructure;
using Iscsi.Tests.Integration;

namespace Iscsi.Tests;

/// <summary>Proves each throwaway target is set up as the integration tests assume, using libiscsi (not our
/// initiator) as the witness. If one of these fails, suspect the target's script under tests/targets before
/// suspecting the engine. Runs once per target (TgtdTargetSmokeTests, IstgtTargetSmokeTests).</summary>
public abstract class TargetSmokeTests(TestTarget target)
{
    [TargetFact]
    public void Fixture_StartsTheTargetOnLoopbackWithItsOwnPort()
    {
        Assert.True(target.IsRunning);
        Assert.Equal("127.0.0.1", target.Host);
        Assert.NotEqual(3260, target.Port);
        Assert.Equal(target.Name, target.Env.Require("TARGET_KIND"));
        Assert.Equal(target.Name, File.ReadAllText($"/proc/{target.Pid}/comm").Trim());
        if (target is TgtdTarget tgtd)
        {
            Assert.InRange(tgtd.ControlPort, 0, 32767);
        }

        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "iscsimodule-tests-"), target.WorkDirectory);
        Assert.True(File.Exists(target.DiskLun1.BackingFile));
        Assert.Equal(64L * 1024 * 1024, new FileInfo(target.DiskLun1.BackingFile!).Length);
    }

    [TargetFact(AlsoLibIscsi = true)]
    [SkipOnTarget(TargetKind.Istgt, LibIscsiCrossCheckTests.IscsiLsLimitation)]
    public async Task Discovery_ListsEveryTargetOnOurPortal()
    {
        var targets = await LibIscsiTools.ListTargetsAsync(target.PortalUrl(), showLuns: false);

        Assert.Equal(
            new[] { target.ChapIqn, target.DiskIqn, target.MutualIqn }.Order(),
            targets.Select(t => t.Iqn).Order());
        Assert.All(targets, t => Assert.Equal($"127.0.0.1:{target.Port},1", t.Portal));
    }

    [TargetFact(AlsoLibIscsi = true)]
    [SkipOnTarget(TargetKind.Istgt, LibIscsiCrossCheckTests.IscsiLsLimitation)]
    public async Task ListingLuns_WithTheChapCredential_ShowsEveryLunOfEveryTarget()
    {
        // iscsi-ls -s logs in to every target, so it needs the CHAP account (the disk target accepts it too).
        var targets = await LibIscsiTools.ListTargetsAsync(target.PortalUrl(target.ChapUser, target.ChapSecret), showLuns: true);

        var disk = Assert.Single(targets, t => t.Iqn == target.DiskIqn);
        Assert.Equal(target.DiskTargetLuns, disk.Luns.Select(l => l.Lun));
        Assert.Equal("STORAGE_ARRAY_CONTROLLER", disk.Luns[0].Type);
        Assert.All(disk.Luns.Skip(1), l => Assert.Equal("DIRECT_ACCESS", l.Type));
        Assert.Equal(target.AuthTargetLuns, Assert.Single(targets, t => t.Iqn == target.ChapIqn).Luns.Select(l => l.Lun));
        Assert.Equal(target.AuthTargetLuns, Assert.Single(targets, t => t.Iqn == target.MutualIqn).Luns.Select(l => l.Lun));
    }

    [TargetTheory(AlsoLibIscsi = true)]
    [InlineData(1, 512)]     // 64 MiB file
    [InlineData(2, 512)]     // tgtd: --bstype null, its fixed 1 TiB; istgt: 4 GiB sparse file
    [InlineData(3, 4096)]    // 64 MiB file, 4096-byte blocks
    [InlineData(4, 512)]     // 16 MiB file, read-only
    public async Task ReadCapacity16_MatchesTheLunAsCreated(int number, uint blockSize)
    {
        var lun = target.DiskLun(number);

        var capacity = await LibIscsiTools.ReadCapacity16Async(target.LunUrl(lun));

        Assert.Equal(blockSize, capacity.LogicalBlockLength);
        Assert.Equal((int)blockSize, lun.BlockSize);
        Assert.Equal((ulong)lun.BlockCount, capacity.BlockCount);
        Assert.Equal(blockSize * capacity.BlockCount, capacity.TotalSize);
        if (lun.IsNullBacked)
        {
            Assert.Equal(1UL << 40, capacity.TotalSize);
        }
        else
        {
            Assert.Equal((long)capacity.TotalSize, new FileInfo(lun.BackingFile!).Length);
        }
    }

    [TargetFact(AlsoLibIscsi = true)]
    public async Task Inquiry_ShowsTheVirtualDiskAndItsVpdPages()
    {
        var inquiry = await LibIscsiTools.InquiryAsync(target.DiskUrl(1));
        var pages = await LibIscsiTools.InquiryVpdAsync(target.DiskUrl(1), 0x00);
        var serial = await LibIscsiTools.InquiryVpdAsync(target.DiskUrl(1), 0x80);

        Assert.Equal("DIRECT_ACCESS", inquiry["Peripheral Device Type"]);
        Assert.Equal(target.VendorId, inquiry["Vendor"].TrimEnd());
        Assert.Contains("0x80 UNIT_SERIAL_NUMBER", pages.All("Page"));
        Assert.Contains("0x83 DEVICE_IDENTIFICATION", pages.All("Page"));
        switch (target.Kind)
        {
            case TargetKind.Tgtd:
                Assert.Equal("VIRTUAL-DISK", inquiry["Product"].TrimEnd());
                Assert.EndsWith("beaf11]", serial["Unit Serial Number"]); // "beaf" + tid + lun
                break;
            case TargetKind.Istgt:
                Assert.Equal("iSCSI DISK", inquiry["Product"].TrimEnd());
                Assert.Equal("[10000001L1]", serial["Unit Serial Number"]); // 1000000<LU> + "L" + lun (none for LUN 0)
                break;
        }
    }

    [TargetFact(AlsoLibIscsi = true)]
    public async Task ChapTarget_AcceptsTheRightSecretAndRefusesAWrongOne()
    {
        var accepted = await LibIscsiTools.ReadCapacity16Async(target.ChapUrl(1));
        var refused = await LibIscsiTools.RunAsync("iscsi-readcapacity16", [target.ChapUrl(1, secret: "wrong-secret-0123456789")]);
        var anonymous = await LibIscsiTools.RunAsync("iscsi-readcapacity16", [target.ChapUrl(1).Replace($"{target.ChapUser}%{target.ChapSecret}@", "")]);

        Assert.Equal((ulong)target.ChapLun1.BlockCount, accepted.BlockCount);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Authentication failure", refused.StandardError);
        Assert.NotEqual(0, anonymous.ExitCode);
    }

    [TargetFact(AlsoLibIscsi = true)]
    public async Task MutualTarget_ProvesItselfWithTheOutgoingAccount()
    {
        var accepted = await LibIscsiTools.InquiryAsync(target.MutualUrl(1));
        var wrongTargetSecret = await LibIscsiTools.RunAsync("iscsi-inq", [target.MutualUrl(1, targetSecret: "not-the-target-secret")]);

        Assert.Equal("DIRECT_ACCESS", accepted["Peripheral Device Type"]);
        Assert.NotEqual(0, wrongTargetSecret.ExitCode);
        Assert.Contains("Invalid CHAP_R response from the target", wrongTargetSecret.StandardError);
    }

    [TargetFact(AlsoLibIscsi = true)]
    public async Task HeaderDigestUrl_IsAcceptedOnThe4KLun()
    {
        var lun = target.Disk4KLun3;
        var url = LibIscsiUrl.Lun(target.Host, target.Port, lun.Iqn, lun.Number, headerDigest: true);

        var capacity = await LibIscsiTools.ReadCapacity16Async(url);

        Assert.Equal(4096U, capacity.LogicalBlockLength);
    }
}
