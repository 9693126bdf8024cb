using IscsiCli;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Cli;

/// <summary>The `iscsi` command never prints a secret it was given in a URL, whatever went wrong with the command line,
/// and says once on stderr how to keep secrets out of the process list. No target is needed: every case fails before
/// a login, or at a closed port.</summary>
public sealed class CliSecretTests
{
    private const string Secret = "S3cr3t-Cq8";

    [Theory]
    [InlineData("iscsi:/alice%S3cr3t-Cq8@127.0.0.1:P/iqn.2026-11.test:x/1", "alice%***@")]
    [InlineData("iscsi:alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1", "alice%***@")]
    [InlineData("alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1", "alice%***@")]
    [InlineData(" iscsi://alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1", "alice%***@")]
    [InlineData("iscs://alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1", "alice%***@")]
    [InlineData("iscsi://alice:S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1", "alice:***@")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn.2026-11.test:x&target_user=t&target_password=S3cr3t-Cq8", "target_password=***")]
    public async Task A_mistyped_url_is_refused_without_its_secret(string url, string shown)
    {
        var r = await IscsiCommand.RunAsync("capacity", url);
        Assert.Equal(ExitCodes.InvalidArgument, r.ExitCode);
        Assert.StartsWith("iscsi: error UrlInvalid: ", r.StandardError);
        Assert.Contains(shown, r.StandardError);
        NoSecret(r);
    }

    [Theory]
    [InlineData("capacity", "iscsi://127.0.0.1/iqn.2026-11.test:x/1", "iscsi://alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1")] // one URL too many
    [InlineData("iscsi://alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1")] // the command forgotten
    [InlineData("capcity", "iscsi://alice%S3cr3t-Cq8@127.0.0.1/iqn.2026-11.test:x/1")] // the command mistyped
    [InlineData("read", "iscsi://127.0.0.1/iqn.2026-11.test:x/1", "--lba", "alice%S3cr3t-Cq8@127.0.0.1")] // the URL in an option's place
    [InlineData("read", "iscsi://127.0.0.1/iqn.2026-11.test:x/1", "--lba=alice%S3cr3t-Cq8@127.0.0.1")]
    public async Task A_usage_error_quotes_the_arguments_without_their_secret(params string[] arguments)
    {
        var r = await IscsiCommand.RunAsync(arguments);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("alice%***@127.0.0.1", r.StandardError);
        NoSecret(r);
    }

    [Fact]
    public async Task Discover_refuses_a_mistyped_scheme_instead_of_taking_it_for_a_user_name()
    {
        var r = await IscsiCommand.RunAsync("discover", "iscs://alice%S3cr3t-Cq8@127.0.0.1:1");
        Assert.Equal(ExitCodes.InvalidArgument, r.ExitCode);
        Assert.Contains("iscsi: error UrlInvalid: The iSCSI URL 'iscs://alice%***@127.0.0.1:1'", r.StandardError);
        NoSecret(r);
    }

    [Theory]
    [InlineData("iscsi://alice%S3cr3t-Cq8@127.0.0.1:1/iqn.2026-11.test:x/1", "--chap-user NAME with the secret in $ISCSI_CHAP_SECRET.")]
    [InlineData("iscsi://alice%S3cr3t-Cq8@127.0.0.1:1/iqn.2026-11.test:x/1?target_user=t&target_password=T4rget-Cq8",
        "--target-user NAME with $ISCSI_TARGET_SECRET")]
    public async Task A_secret_in_the_url_gets_one_warning_naming_the_environment_instead(string url, string advice)
    {
        var r = await IscsiCommand.RunAsync("capacity", url, "--timeout", "5");
        Assert.Equal(ExitCodes.ConnectionFailed, r.ExitCode); // nothing listens on port 1
        var warnings = r.StandardError.Split('\n').Where(l => l.StartsWith("iscsi: warning:", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("process list", warning);
        Assert.Contains(advice, warning);
        NoSecret(r);
        Assert.DoesNotContain("T4rget-Cq8", r.StandardError);
    }

    [Fact]
    public async Task Secrets_from_the_environment_get_no_warning()
    {
        var environment = new Dictionary<string, string> { ["ISCSI_CHAP_SECRET"] = Secret };
        var r = await IscsiCommand.RunAsync(environment, "capacity", "iscsi://127.0.0.1:1/iqn.2026-11.test:x/1", "--chap-user", "alice", "--timeout", "5");
        Assert.Equal(ExitCodes.ConnectionFailed, r.ExitCode);
        Assert.DoesNotContain("warning", r.StandardError);
        NoSecret(r);
    }

    [Fact]
    public void Parser_output_hides_quoted_arguments_and_leaves_the_help_text_alone()
    {
        const string help = "  <url>  iscsi://[user%secret@]host[:port]/target-iqn/lun\n";
        string text = help + "Unrecognized command or argument '%'.\nUnrecognized command or argument 'bob%S3cr3t-Cq8@h'.\n";
        string shown = ParserOutput.Redact(text, ["%", "bob%S3cr3t-Cq8@h", "capacity"]);
        Assert.Equal(help + "Unrecognized command or argument '%***'.\nUnrecognized command or argument 'bob%***@h'.\n", shown);
    }

    private static void NoSecret(ProcessResult r)
    {
        Assert.DoesNotContain(Secret, r.StandardOutput);
        Assert.DoesNotContain(Secret, r.StandardError);
    }
}
