using IscsiCli;
using Iscsi.Tests.Infrastructure;
using Iscsi.Tests.Integration;

namespace Iscsi.Tests.Cli;

/// <summary>The `iscsi` command end to end against tgtd: output, files, exit codes and error lines.</summary>
[Collection(TgtdCollection.Name)]
public sealed class CliTests(TgtdTarget target)
{
    private string Portal => $"{target.Host}:{target.Port}";
    private string Disk(int lun) => $"iscsi://{target.Host}:{target.Port}/{target.DiskIqn}/{lun}";

    [RequiresTgtdFact]
    public async Task Discover_lists_every_target_with_its_portal()
    {
        var r = await IscsiCommand.RunAsync("discover", Portal);
        Assert.True(r.Succeeded, r.Describe());
        Assert.Contains($"{target.DiskIqn} 127.0.0.1:{target.Port},1", r.StandardOutput);
        Assert.Contains(target.ChapIqn, r.StandardOutput);
        Assert.Contains(target.MutualIqn, r.StandardOutput);
    }

    [RequiresTgtdFact]
    public async Task Luns_lists_each_lun_with_its_size()
    {
        var r = await IscsiCommand.RunAsync("luns", $"iscsi://{target.Host}:{target.Port}/{target.DiskIqn}");
        Assert.True(r.Succeeded, r.Describe());
        var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("1 ") && l.Contains("64 MiB") && l.Contains(" 512 "));
        Assert.Contains(lines, l => l.StartsWith("3 ") && l.Contains("4096") && l.Contains("64 MiB"));
        Assert.Contains(lines, l => l.StartsWith("4 ") && l.Contains("16 MiB"));
    }

    [RequiresTgtdFact]
    public async Task Capacity_and_inquiry_show_the_lun()
    {
        var c = await IscsiCommand.RunAsync("capacity", Disk(3));
        Assert.True(c.Succeeded, c.Describe());
        Assert.Contains("BlockSize:       4096", c.StandardOutput);
        Assert.Contains($"BlockCount:      {target.Disk4KLun3.BlockCount}", c.StandardOutput);
        var i = await IscsiCommand.RunAsync("inquiry", Disk(1));
        Assert.True(i.Succeeded, i.Describe());
        Assert.Contains("VendorId:            IET", i.StandardOutput);
        var vpd = await IscsiCommand.RunAsync("inquiry", Disk(1), "--page", "0x83");
        Assert.Contains("naa.", vpd.StandardOutput);
    }

    [RequiresTgtdFact]
    public async Task Write_then_read_round_trips_through_files_and_the_backing_store()
    {
        var lun = target.DiskLun1;
        var data = TargetSession.RandomBytes(3 * 1024 * 1024, 42); // 3 MiB: more than one 1 MiB request
        var input = Path.Combine(target.WorkDirectory, "cli-in.bin");
        var output = Path.Combine(target.WorkDirectory, "cli-out.bin");
        await File.WriteAllBytesAsync(input, data);

        var w = await IscsiCommand.RunAsync("write", Disk(1), "--lba", "20000", "--in", input);
        Assert.True(w.Succeeded, w.Describe());
        Assert.Equal(data, TargetSession.ReadBackingFile(lun, 20000L * 512, data.Length));

        var r = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "20000", "--blocks", (data.Length / 512).ToString(), "--out", output);
        Assert.True(r.Succeeded, r.Describe());
        Assert.Equal(data, await File.ReadAllBytesAsync(output));
    }

    [RequiresTgtdFact]
    public async Task Read_of_64_KiB_reports_a_rate_with_three_significant_digits()
    {
        var output = Path.Combine(target.WorkDirectory, "cli-rate.bin");
        var r = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "0", "--blocks", "128", "--out", output);
        Assert.True(r.Succeeded, r.Describe());
        Assert.Matches(@"^read 65536 bytes \(128 blocks\) from LBA 0 in \d+\.\d{3} s \((\d{3,}|\d{2}\.\d|[1-9]\.\d{2}|0\.0*[1-9]\d{2}) MB/s\)$",
            r.StandardError.Trim());
    }

    [RequiresTgtdFact]
    public async Task Read_without_out_prints_a_hex_dump()
    {
        var lun = target.DiskLun1;
        TargetSession.WriteBackingFile(lun, 30000L * 512, "Hello, iSCSI!"u8.ToArray());
        var r = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "30000");
        Assert.True(r.Succeeded, r.Describe());
        Assert.Contains("48 65 6C 6C 6F 2C 20 69  53 43 53 49 21", r.StandardOutput);
        Assert.Contains("Hello, iSCSI!", r.StandardOutput);
        Assert.Equal(32, r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [RequiresTgtdFact]
    public async Task Read_out_to_a_pipe_or_dev_null_writes_the_raw_bytes()
    {
        if (!OperatingSystem.IsLinux()) return; // /dev/stdout and /dev/null: the Linux names
        var lun = target.DiskLun1;
        // Printable bytes, so that the pipe's text is the data: 2 MiB + 1 block, three requests, the last one short.
        var data = new byte[(2 << 20) + 512];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)('A' + i % 26);
        TargetSession.WriteBackingFile(lun, 40000L * 512, data);
        string blocks = (data.Length / 512).ToString();

        var piped = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "40000", "--blocks", blocks, "--out", "/dev/stdout");
        Assert.True(piped.Succeeded, piped.Describe());
        Assert.Equal(System.Text.Encoding.ASCII.GetString(data), piped.StandardOutput);
        Assert.Contains($"read {data.Length} bytes", piped.StandardError);

        var nulled = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "40000", "--blocks", blocks, "--out", "/dev/null");
        Assert.True(nulled.Succeeded, nulled.Describe());
        Assert.Contains($"read {data.Length} bytes", nulled.StandardError);
        Assert.True(File.Exists("/dev/null") && new FileInfo("/dev/null").Length == 0);
    }

    [RequiresTgtdFact]
    public async Task Chap_secret_from_the_environment_logs_in()
    {
        var env = new Dictionary<string, string> { ["ISCSI_CHAP_SECRET"] = target.ChapSecret };
        var r = await IscsiCommand.RunAsync(env, "capacity", $"iscsi://{target.Host}:{target.Port}/{target.ChapIqn}/1", "--chap-user", target.ChapUser);
        Assert.True(r.Succeeded, r.Describe());
        Assert.DoesNotContain(target.ChapSecret, r.StandardOutput + r.StandardError);
        // tgtd's CHAP only works with MD5: the admin is told, on stderr, with the user but not the secret.
        Assert.Contains("iscsi: warning: ", r.StandardError);
        Assert.Contains("The target chose MD5", r.StandardError);
        Assert.Single(r.StandardError.Split('\n'), l => l.StartsWith("iscsi: warning:", StringComparison.Ordinal)); // said once, during the login
    }


    [RequiresTgtdFact]
    public async Task Failures_have_stable_exit_codes_and_error_ids_and_never_echo_secrets()
    {
        var file = Path.Combine(target.WorkDirectory, "odd-size.bin");
        await File.WriteAllBytesAsync(file, new byte[1000]);
        int closedPort = FreeTcpPort.Find();
        var cases = new (string[] Args, int Exit, string ErrorId)[]
        {
            (["read", "http://nope", "--lba", "0"], ExitCodes.InvalidArgument, "UrlInvalid"),
            (["read", Disk(1), "--lba", target.DiskLun1.BlockCount.ToString()], ExitCodes.InvalidArgument, "LbaOutOfRange"),
            (["read", Disk(1), "--blocks", "0"], ExitCodes.InvalidArgument, "BlockCountInvalid"),
            (["write", Disk(1), "--in", file], ExitCodes.InvalidArgument, "DataNotBlockMultiple"),
            (["write", Disk(1), "--in", "/nonexistent/file.bin"], ExitCodes.InvalidArgument, "InputFileNotFound"),
            (["capacity", $"iscsi://127.0.0.1:{closedPort}/{target.DiskIqn}/1"], ExitCodes.ConnectionFailed, "PortalUnreachable"),
            (["capacity", $"iscsi://{target.Host}:{target.Port}/iqn.2026-11.test.iscsimodule:absent/1"], ExitCodes.LoginFailed, "LoginFailed.0203"),
            (["capacity", $"iscsi://{target.ChapUser}%wrong-secret-4242@{target.Host}:{target.Port}/{target.ChapIqn}/1"], ExitCodes.LoginFailed, "LoginFailed.020"),
            (["capacity", Disk(9)], ExitCodes.ScsiError, "ScsiCheckCondition.IllegalRequest"),
        };
        foreach (var (args, exit, errorId) in cases)
        {
            var r = await IscsiCommand.RunAsync(args);
            Assert.True(exit == r.ExitCode, r.Describe());
            Assert.Contains($"iscsi: error {errorId}", r.StandardError);
            Assert.DoesNotContain("wrong-secret-4242", r.StandardError + r.StandardOutput);
        }
    }

    [RequiresTgtdFact]
    public async Task Write_to_the_read_only_lun_fails_with_data_protect_and_exit_5()
    {
        var file = Path.Combine(target.WorkDirectory, "one-block.bin");
        await File.WriteAllBytesAsync(file, new byte[512]);
        var r = await IscsiCommand.RunAsync("write", Disk(4), "--in", file);
        Assert.Equal(ExitCodes.ScsiError, r.ExitCode);
        Assert.Contains("DataProtect", r.StandardError);
        Assert.Contains("WRITE PROTECTED", r.StandardError);
    }

    [RequiresTgtdFact]
    public async Task A_failed_write_of_several_requests_says_what_was_written_unknown_and_not_sent()
    {
        var file = Path.Combine(target.WorkDirectory, "four-mib.bin");
        await File.WriteAllBytesAsync(file, new byte[4 << 20]);
        var r = await IscsiCommand.RunAsync("write", Disk(4), "--in", file, "-m", "2");
        Assert.Equal(ExitCodes.ScsiError, r.ExitCode); // the cause's exit code
        Assert.Contains("iscsi: error ScsiCheckCondition.DataProtect:", r.StandardError);
        Assert.Contains("So far: LBA 0-", r.StandardError);
        Assert.Contains("LBA 4096-8191 not sent", r.StandardError); // 4 requests of 2048 blocks, 2 in flight
        Assert.DoesNotContain("wrote", r.StandardOutput);
    }

    [RequiresTgtdFact]
    public async Task A_small_fast_read_prints_a_rate_that_is_not_zero()
    {
        var file = Path.Combine(target.WorkDirectory, "small-read.bin");
        var r = await IscsiCommand.RunAsync("read", Disk(1), "--lba", "0", "--blocks", "128", "--out", file);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Matches(@"read 65536 bytes \(128 blocks\) from LBA 0 in [\d.]+ s \((?!0 MB/s)[\d.]+ MB/s\)", r.StandardError);
    }
}
