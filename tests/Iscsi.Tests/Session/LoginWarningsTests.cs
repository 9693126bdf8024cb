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
        var warnings = LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "MD5" });
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("MD5"));
        Assert.Contains(warnings, w => w.Contains("'alice'") && w.Contains("9 bytes") && w.Contains("12"));
        Assert.All(warnings, w => Assert.DoesNotContain("short-sec", w));
    }

    [Fact]
    public void Strong_login_has_no_warnings()
    {
        var options = new IscsiSessionOptions { Chap = new ChapCredential("alice", "twelve-bytes") };
        Assert.Empty(LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "SHA256" }));
        Assert.Empty(LoginWarnings.For(new IscsiSessionOptions(), new NegotiatedParameters()));
    }

    [Fact]
    public void The_tgtd_sha256_fallback_is_a_note_and_md5_the_one_warning()
    {
        var options = new IscsiSessionOptions { Chap = new ChapCredential("alice", "twelve-bytes") };
        var warning = Assert.Single(LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "MD5" }));
        Assert.Equal(Iscsi.Login.SecurityNegotiation.Md5Warning, warning);
        Assert.DoesNotContain("offered nothing stronger", warning); // it may have offered more: tgtd only numbers SHA-1 wrong
        Assert.Contains("repeated without offering SHA-256", Assert.Single(LoginWarnings.Notes(sha256Dropped: true)));
        Assert.Empty(LoginWarnings.Notes(sha256Dropped: false));
    }

    [Fact]
    public void A_caller_who_heard_the_md5_warning_during_the_login_does_not_get_it_again()
    {
        var options = new IscsiSessionOptions { Chap = new ChapCredential("alice", "twelve-bytes"), LoginWarning = _ => { } };
        Assert.Empty(LoginWarnings.For(options, new NegotiatedParameters { AuthMethod = "CHAP", ChapAlgorithm = "MD5" }));
    }
}
