namespace Iscsi.Tests.Session;

/// <summary>A mistyped URL never shows its secret: whatever the scheme or shape, the parser's message and
/// <see cref="IscsiUrl.Redact"/> hide user%secret@, user:secret@, target_password and unknown query values.</summary>
public sealed class IscsiUrlRedactionTests
{
    private const string Secret = "S3cr3t-Vq7";

    [Theory]
    [InlineData("iscsi:/alice%S3cr3t-Vq7@127.0.0.1:P/iqn/1", "iscsi:/alice%***@127.0.0.1:P/iqn/1")]
    [InlineData("iscsi:alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "iscsi:alice%***@127.0.0.1/iqn/1")]
    [InlineData("alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "alice%***@127.0.0.1/iqn/1")]
    [InlineData(" iscsi://alice%S3cr3t-Vq7@127.0.0.1/iqn/1", " iscsi://alice%***@127.0.0.1/iqn/1")]
    [InlineData("\tiscsi://alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "\\x09iscsi://alice%***@127.0.0.1/iqn/1")]
    [InlineData("iscs://alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "iscs://alice%***@127.0.0.1/iqn/1")]
    [InlineData("http://alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "http://alice%***@127.0.0.1/iqn/1")]
    [InlineData("iscsi//alice%S3cr3t-Vq7@127.0.0.1/iqn/1", "iscsi//alice%***@127.0.0.1/iqn/1")]
    [InlineData("iscsi:/alice%S3cr3t-Vq7", "iscsi:/alice%***")]
    [InlineData("alice%S3cr3t-Vq7/127.0.0.1/iqn/1", "alice%***")]
    [InlineData("iscs://alice:S3cr3t-Vq7@127.0.0.1/iqn/1", "iscs://alice:***@127.0.0.1/iqn/1")]
    [InlineData("iscs://127.0.0.1/iqn/1?target_user=t&target_password=S3cr3t-Vq7", "iscs://127.0.0.1/iqn/1?target_user=t&target_password=***")]
    public void A_url_without_the_iscsi_scheme_is_refused_and_its_secret_hidden(string url, string shown)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(url));
        Assert.Equal("UrlInvalid", ex.ErrorId);
        Assert.Contains($"'{shown}'", ex.Message);
        Assert.Equal(shown, IscsiUrl.Redact(url));
        Assert.DoesNotContain(Secret, ex.Message);
    }

    [Theory]
    [InlineData("iscsi://alice:S3cr3t-Vq7@127.0.0.1/iqn/1", "iscsi://alice:***@127.0.0.1/iqn/1", "user%secret")]
    [InlineData("iscsi://S3cr3t-Vq7@127.0.0.1/iqn/1", "iscsi://***@127.0.0.1/iqn/1", "user%secret")]
    [InlineData("iscsi://[alice%S3cr3t-Vq7]:3260/iqn/1", "iscsi://[alice%***", "not an IPv6 address")]
    [InlineData("iscsi://127.0.0.1/iqn.a:b%S3cr3t-Vq7/1", "iscsi://127.0.0.1/iqn.a:b%***", "contains '%'")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn.a:b&target_user=t&target_password=S3cr3t-Vq7",
        "iscsi://u%***@127.0.0.1/iqn.a:b&target_user=t&target_password=***", "'?' before the query missing")]
    [InlineData("iscsi://u%s@127.0.0.1target_user=t&target_password=S3cr3t-Vq7",
        "iscsi://u%***@127.0.0.1target_user=t&target_password=***", "'?' before the query missing")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn/1?target_user=t&target_passwd=S3cr3t-Vq7",
        "iscsi://u%***@127.0.0.1/iqn/1?target_user=t&target_passwd=***", "'target_passwd' is not known")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn/1target_password=S3cr3t-Vq7",
        "iscsi://u%***@127.0.0.1/iqn/1target_password=***", "'?' before the query missing")]
    [InlineData("iscsi://127.0.0.1/iqn.a:b/1%S3cr3t-Vq7", "iscsi://127.0.0.1/iqn.a:b/1%***", "LUN '1%***'")]
    [InlineData("iscsi://alice:S3cr3t-Vq7@127.0.0.1%x/iqn.a:b/1", "iscsi://alice:***@127.0.0.1%***", "user%secret")]
    [InlineData("iscsi://alice%Zq9@S3cr3t-Vq7%x127.0.0.1/iqn.a:b/1", "iscsi://alice%***'", "'%' belongs only in user%secret@")]
    [InlineData("iscsi://127.0.0.1:3260%S3cr3t-Vq7/iqn.a:b/1", "iscsi://127.0.0.1:3260%***", "'%' belongs only in user%secret@")]
    [InlineData("iscsi://u%s@127.0.0.1:3260target_password=S3cr3t-Vq7",
        "iscsi://u%***@127.0.0.1:3260target_password=***", "'?' before the query missing")]
    public void A_url_split_wrongly_never_puts_its_secret_into_a_message(string url, string shown, string reason)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(url));
        Assert.Equal("UrlInvalid", ex.ErrorId);
        Assert.Contains(shown, ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain(Secret, ex.Message);
        Assert.DoesNotContain(Secret, IscsiUrl.Redact(url));
    }

    [Fact]
    public void Control_characters_in_a_url_are_escaped_in_messages_and_tostring()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse("iscsi://u%S3cr3t-Vq7@h\u001b[2J/iqn/1"));
        Assert.DoesNotContain('\u001b', ex.Message);
        Assert.Contains("h\\x1B[2J", ex.Message);
        Assert.Equal("iscsi://h\\x07:3260", IscsiUrl.Redact("iscsi://h\u0007:3260"));
    }

    [Theory]
    [InlineData("iscsi://u%s@127.0.0.1/iqn/1?target_user=t&target_password=S3cr3t-Vq7&initiator_name=iqn.2026-11.me:x")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn/1?target_user=t&Target_Password=S3cr3t-Vq7")]
    [InlineData("iscsi://u%s@127.0.0.1/iqn/1?target_user=t&target_password=S3cr3t-Vq7&colour=blue")]
    public void Every_target_password_is_hidden_whatever_follows_it(string url)
        => Assert.DoesNotContain(Secret, IscsiUrl.Redact(url));

    [Theory]
    [InlineData("nas01:3260")]
    [InlineData("iscsi://h/iqn.a:b/1?header_digest=crc32c&data_digest=none&initiator_name=iqn.2026-11.me:x&target_user=t")]
    [InlineData("iscsi://[fe80::1%eth0]:3262/iqn.a:b/2")]
    [InlineData("[fe80::1%eth0]:3262")]
    public void Text_without_a_secret_is_shown_as_it_is(string text) => Assert.Equal(text, IscsiUrl.Redact(text));

    [Theory]
    [InlineData("iscsi://u%s@h/iqn/1?initiator_name=alice%S3cr3t-Vq7", "initiator_name=***")]
    [InlineData("iscsi://u%s@h/iqn/1?target_user=alice@S3cr3t-Vq7", "target_user=***")]
    public void A_shown_query_value_that_looks_like_user_secret_is_hidden(string url, string shown)
    {
        string redacted = IscsiUrl.Redact(url);
        Assert.Contains(shown, redacted);
        Assert.DoesNotContain(Secret, redacted);
    }

    [Fact]
    public void Urls_that_work_still_parse()
    {
        var url = IscsiUrl.Parse("iscsi://alice%S3cr3t-Vq7@[fe80::1%eth0]:3262/iqn.2026-11.test:disk_1/3");
        Assert.Equal(("fe80::1%eth0", 3262, "iqn.2026-11.test:disk_1", 3), (url.Host, url.Port, url.TargetName, url.Lun));
        Assert.Equal("iscsi://alice%***@[fe80::1%eth0]:3262/iqn.2026-11.test:disk_1/3", url.ToString());
    }
}
