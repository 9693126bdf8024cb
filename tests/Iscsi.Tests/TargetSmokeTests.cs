using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests;

/// <summary>Proves the throwaway tgtd is set up as the integration tests assume, using libiscsi (not our
/// initiator) as the witness. If one of these fails, suspect tgt-target.sh before suspecting the engine.</summary>
[Collection(TgtdCollection.Name)]
public sealed class TargetSmokeTests(TgtdTarget target)
{
    [RequiresTgtdFact]
    public void Fixture_StartsATgtdOnLoopbackWithItsOwnPorts()
    {
        Assert.True(target.IsRunning);
        Assert.Equal("127.0.0.1", target.Host);
        Assert.NotEqual(3260, target.Port);
        Assert.InRange(target.ControlPort, 0, 32767);
        Assert.Equal("tgtd", File.ReadAllText($"/proc/{target.Pid}/comm").Trim());
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "iscsimodule-tests-"), target.WorkDirectory);
        Assert.True(File.Exists(target.DiskLun1.BackingFile));
        Assert.Equal(64L * 1024 * 1024, new FileInfo(target.DiskLun1.BackingFile!).Length);
    }

    [RequiresTgtdFact(AlsoLibIscsi = true)]
    public async Task Discovery_ListsEveryTargetOnOurPortal()
    {
        var targets = await LibIscsiTools.ListTargetsAsync(target.PortalUrl(), showLuns: false);

        Assert.Equal(
            new[] { target.ChapIqn, target.DiskIqn, target.MutualIqn }.Order(),
            targets.Select(t => t.Iqn).Order());
        Assert.All(targets, t => Assert.Equal($"127.0.0.1:{target.Port},1", t.Portal));
    }

    [RequiresTgtdFact(AlsoLibIscsi = true)]
    public async Task ListingLuns_WithTheChapCredential_ShowsEveryLunOfEveryTarget()
    {
        // iscsi-ls -s logs in to every target, so it needs the CHAP account (the disk target accepts it too).
        var targets = await LibIscsiTools.ListTargetsAsync(target.PortalUrl(target.ChapUser, target.ChapSecret), showLuns: true);

        var disk = Assert.Single(targets, t => t.Iqn == target.DiskIqn);
        Assert.Equal([0, 1, 2, 3, 4], disk.Luns.Select(l => l.Lun));
        Assert.Equal("STORAGE_ARRAY_CONTROLLER", disk.Luns[0].Type);
        Assert.All(disk.Luns.Skip(1), l => Assert.Equal("DIRECT_ACCESS", l.Type));
        Assert.Equal([0, 1], Assert.Single(targets, t => t.Iqn == target.ChapIqn).Luns.Select(l => l.Lun));
        Assert.Equal([0, 1], Assert.Single(targets, t => t.Iqn == target.MutualIqn).Luns.Select(l => l.Lun));
    }

    [RequiresTgtdTheory(AlsoLibIscsi = true)]
    [InlineData(1, 512, 131072)]        // 64 MiB file
    [InlineData(2, 512, 2147483648)]    // --bstype null: tgtd's fixed 1 TiB
    [InlineData(3, 4096, 16384)]        // 64 MiB file, --blocksize 4096
    [InlineData(4, 512, 32768)]         // 16 MiB file, read-only
    public async Task ReadCapacity16_MatchesTheLunAsCreated(int lun, uint blockSize, ulong blockCount)
    {
        var capacity = await LibIscsiTools.ReadCapacity16Async(target.DiskUrl(lun));

        Assert.Equal(blockSize, capacity.LogicalBlockLength);
        Assert.Equal(blockCount, capacity.BlockCount);
        Assert.Equal(blockSize * blockCount, capacity.TotalSize);
        var expected = new[] { target.DiskLun1, target.DiskNullLun2, target.Disk4KLun3, target.DiskReadOnlyLun4 }[lun - 1];
        Assert.Equal((long)blockCount, expected.BlockCount);
        Assert.Equal((int)blockSize, expected.BlockSize);
    }

    [RequiresTgtdFact(AlsoLibIscsi = true)]
    public async Task Inquiry_ShowsTgtdsVirtualDiskAndItsVpdPages()
    {
        var inquiry = await LibIscsiTools.InquiryAsync(target.DiskUrl(1));
        var pages = await LibIscsiTools.InquiryVpdAsync(target.DiskUrl(1), 0x00);
        var serial = await LibIscsiTools.InquiryVpdAsync(target.DiskUrl(1), 0x80);

        Assert.Equal("DIRECT_ACCESS", inquiry["Peripheral Device Type"]);
        Assert.Equal("IET", inquiry["Vendor"].TrimEnd());
        Assert.Equal("VIRTUAL-DISK", inquiry["Product"].TrimEnd());
        Assert.Contains("0x80 UNIT_SERIAL_NUMBER", pages.All("Page"));
        Assert.Contains("0x83 DEVICE_IDENTIFICATION", pages.All("Page"));
        Assert.EndsWith("beaf11]", serial["Unit Serial Number"]); // tgtd's serial: "beaf" + tid + lun
    }

    [RequiresTgtdFact(AlsoLibIscsi = true)]
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

    [RequiresTgtdFact(AlsoLibIscsi = true)]
    public async Task MutualTarget_ProvesItselfWithTheOutgoingAccount()
    {
        var accepted = await LibIscsiTools.InquiryAsync(target.MutualUrl(1));
        var wrongTargetSecret = await LibIscsiTools.RunAsync("iscsi-inq", [target.MutualUrl(1, targetSecret: "not-the-target-secret")]);

        Assert.Equal("DIRECT_ACCESS", accepted["Peripheral Device Type"]);
        Assert.NotEqual(0, wrongTargetSecret.ExitCode);
        Assert.Contains("Invalid CHAP_R response from the target", wrongTargetSecret.StandardError);
    }

    [RequiresTgtdFact(AlsoLibIscsi = true)]
    public async Task HeaderDigestUrl_IsAcceptedOnThe4KLun()
    {
        var url = LibIscsiUrl.Lun(target.Host, target.Port, target.DiskIqn, 3, headerDigest: true);

        var capacity = await LibIscsiTools.ReadCapacity16Async(url);

        Assert.Equal(4096U, capacity.LogicalBlockLength);
    }
}
