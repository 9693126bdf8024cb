using Iscsi.Session;

namespace Iscsi.Tests.Session;

public sealed class LoginWarningsTests
{
    [Fact]
    public void Short_secrets_and_md5_are_warned_without_the_secret()
    {
        var options = new IscsiSessionOptions
        {
            Chap = new ChapCredential("alice", "short-sec"),            // 9 bytes
            TargetChap = new ChapCredential("tgt", "a-long-enough-secret"),
        };
        var warnings = LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "MD5" }, sha256Dropped: false);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("MD5"));
        Assert.Contains(warnings, w => w.Contains("'alice'") && w.Contains("9 bytes") && w.Contains("12"));
        Assert.All(warnings, w => Assert.DoesNotContain("short-sec", w));
    }

    [Fact]
    public void Strong_login_has_no_warnings()
    {
        var options = new IscsiSessionOptions { Chap = new ChapCredential("alice", "twelve-bytes") };
        Assert.Empty(LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "SHA256" }, false));
        Assert.Empty(LoginWarnings.For(new IscsiSessionOptions(), new NegotiatedParameters(), false));
    }

    [Fact]
    public void The_tgtd_sha256_fallback_to_md5_is_one_warning_that_names_what_was_used()
    {
        var options = new IscsiSessionOptions { Chap = new ChapCredential("alice", "twelve-bytes") };
        var warnings = LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "MD5" }, sha256Dropped: true);
        var warning = Assert.Single(warnings);
        Assert.Contains("repeated without SHA-256 and used MD5", warning);
        Assert.DoesNotContain("offered nothing stronger", warning); // the target did offer more: it only got the number wrong
    }
}
