namespace Iscsi.Tests.Infrastructure;

/// <summary>The small helpers the integration fixtures rely on, tested without a target.</summary>
public sealed class InfrastructureHelperTests
{
    [Fact]
    public void TargetEnvFile_ParsesKeyValueLinesAndKeepsEqualsInValues()
    {
        var env = TargetEnvFile.Parse("# written by tgt-target.sh\nPORT=29903\r\nCHAP_SECRET=a=b\n\nDISK_LUN4_READONLY=1\n");

        Assert.Equal(29903, env.RequireInt32("PORT"));
        Assert.Equal("a=b", env.Require("CHAP_SECRET"));
        Assert.Null(env.Find("DISK_LUN1_FILE"));
        Assert.Equal(3, env.Values.Count);
    }

    [Fact]
    public void TargetEnvFile_RejectsALineWithoutEqualsByNumber()
    {
        var error = Assert.Throws<FormatException>(() => TargetEnvFile.Parse("PORT=1\nnonsense\n"));
        Assert.Contains("line 2", error.Message);
        Assert.Contains("nonsense", error.Message);
    }

    [Fact]
    public void TargetEnvFile_NamesAMissingOrNonNumericKey()
    {
        var env = TargetEnvFile.Parse("PORT=-5\n");

        Assert.Contains("PID", Assert.Throws<KeyNotFoundException>(() => env.Require("PID")).Message);
        Assert.Contains("'-5'", Assert.Throws<FormatException>(() => env.RequireInt32("PORT")).Message);
    }

    [Fact]
    public void TgtdLun_ReadsItsKeyGroup()
    {
        var env = TargetEnvFile.Parse(
            "DISK_LUN3_FILE=/tmp/x/disk-lun3-4k.img\nDISK_LUN3_BLOCK_SIZE=4096\nDISK_LUN3_BLOCKS=16384\n" +
            "DISK_LUN2_BLOCK_SIZE=512\nDISK_LUN2_BLOCKS=2147483648\n");

        var lun3 = TargetLun.FromEnv(env, "DISK_LUN3", "iqn.x:disk", 3);
        var lun2 = TargetLun.FromEnv(env, "DISK_LUN2", "iqn.x:disk", 2);

        Assert.Equal(new TargetLun("iqn.x:disk", 3, "/tmp/x/disk-lun3-4k.img", 4096, 16384, false), lun3);
        Assert.Equal(64L * 1024 * 1024, lun3.SizeInBytes);
        Assert.True(lun2.IsNullBacked);
        Assert.Equal(1L << 40, lun2.SizeInBytes);
    }

    [Fact]
    public void TargetLun_TakesItsIqnFromTheKeyGroupWhenTheScriptGaveItATargetOfItsOwn()
    {
        // istgt-target.sh: the 4096-byte LUN 3 lives on its own target (istgt sets the block length per target).
        var env = TargetEnvFile.Parse(
            "DISK_LUN3_IQN=iqn.x:disk4k\nDISK_LUN3_FILE=/w/disk4k-lun3.img\nDISK_LUN3_BLOCK_SIZE=4096\nDISK_LUN3_BLOCKS=16384\n" +
            "DISK_LUN4_IQN=iqn.x:readonly\nDISK_LUN4_BLOCK_SIZE=512\nDISK_LUN4_BLOCKS=32768\nDISK_LUN4_READONLY=1\n");

        Assert.Equal(new TargetLun("iqn.x:disk4k", 3, "/w/disk4k-lun3.img", 4096, 16384, false), TargetLun.FromEnv(env, "DISK_LUN3", "iqn.x:disk", 3));
        Assert.Equal(new TargetLun("iqn.x:readonly", 4, null, 512, 32768, true), TargetLun.FromEnv(env, "DISK_LUN4", "iqn.x:disk", 4));
    }

    [Fact]
    public void Target_kinds_map_to_their_own_binaries_and_neither_skips_on_ci()
    {
        Assert.Equal(ToolAvailability.TgtdMissingReason, ToolAvailability.TargetMissingReason(TargetKind.Tgtd));
        Assert.Equal(ToolAvailability.IstgtMissingReason, ToolAvailability.TargetMissingReason(TargetKind.Istgt));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToolAvailability.TargetMissingReason((TargetKind)42));
        if (ToolAvailability.IsCi)
        {
            Assert.Null(ToolAvailability.SkipReason(TargetKind.Istgt, needsLibIscsi: true));
        }
        else if (ToolAvailability.IstgtMissingReason is { } reason)
        {
            Assert.Contains(reason, ToolAvailability.SkipReason(TargetKind.Istgt, needsLibIscsi: false));
        }
    }

    [Fact]
    public void LibIscsiUrl_SpellsChapMutualAndDigestTheWayLibIscsiWantsThem()
    {
        Assert.Equal("iscsi://127.0.0.1:3261", LibIscsiUrl.Portal("127.0.0.1", 3261));
        Assert.Equal("iscsi://u%s@127.0.0.1:3261/iqn.x:chap/1", LibIscsiUrl.Lun("127.0.0.1", 3261, "iqn.x:chap", 1, "u", "s"));
        Assert.Equal(
            "iscsi://u%s@127.0.0.1:3261/iqn.x:mutual/1?target_user=t&target_password=ts&header_digest=crc32c",
            LibIscsiUrl.Lun("127.0.0.1", 3261, "iqn.x:mutual", 1, "u", "s", "t", "ts", headerDigest: true));
    }

    [Fact]
    public void MaskSecrets_HidesBothInitiatorAndTargetSecrets()
    {
        var masked = ProcessRunner.MaskSecrets("iscsi-inq iscsi://u%hunter2@h:1/iqn.x:m/1?target_user=t&target_password=sesame");

        Assert.Equal("iscsi-inq iscsi://u%***@h:1/iqn.x:m/1?target_user=t&target_password=***", masked);
    }

    [Fact]
    public async Task ProcessRunner_CapturesExitCodeAndBothStreams()
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", "echo out; echo err >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Contains("exited with 3", result.Describe());
    }

    [Fact]
    public async Task ProcessRunner_KillsAProcessThatOverrunsItsTimeout()
    {
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<ExternalToolException>(() =>
            ProcessRunner.RunAsync("bash", ["-c", "echo partial; sleep 30"], TimeSpan.FromMilliseconds(500)));

        Assert.Contains("did not finish within 0.5 s", error.Message);
        Assert.Contains("partial", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ToolAvailability_NeverSkipsOnCi()
    {
        // Whatever is installed, CI=true must make the tests run (and fail loudly if tools are missing).
        if (ToolAvailability.IsCi)
        {
            Assert.Null(ToolAvailability.SkipReason(needsLibIscsi: true));
        }
        else
        {
            var expected = ToolAvailability.TgtdMissingReason ?? ToolAvailability.LibIscsiMissingReason;
            Assert.Equal(expected is null, ToolAvailability.SkipReason(needsLibIscsi: true) is null);
        }
    }
}
