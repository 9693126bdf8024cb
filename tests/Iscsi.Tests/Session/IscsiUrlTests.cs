namespace Iscsi.Tests.Session;

public sealed class IscsiUrlTests
{
    [Fact]
    public void Full_libiscsi_url_with_chap_and_mutual_chap()
    {
        var url = IscsiUrl.Parse("iscsi://alice%s3cret-pass-12@127.0.0.1:3261/iqn.2026-11.test:disk/3?target_user=tgt&target_password=t%40rget-secret&header_digest=crc32c");
        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal(3261, url.Port);
        Assert.Equal("iqn.2026-11.test:disk", url.TargetName);
        Assert.Equal(3, url.Lun);
        Assert.Equal("alice", url.Chap!.UserName);
        Assert.Equal("s3cret-pass-12", url.Chap.Secret);
        Assert.Equal("tgt", url.TargetChap!.UserName);
        Assert.Equal("t@rget-secret", url.TargetChap.Secret);
        Assert.True(url.HeaderDigest);
        Assert.Null(url.DataDigest);
        Assert.DoesNotContain("s3cret", url.ToString());
        Assert.DoesNotContain("t@rget", url.ToString());
    }

    [Theory]
    [InlineData("iscsi://host", "host", 3260, null, null)]
    [InlineData("iscsi://host:3270/", "host", 3270, null, null)]
    [InlineData("iscsi://host/iqn.x:y", "host", 3260, "iqn.x:y", null)]
    [InlineData("iscsi://[::1]:3262/iqn.x:y/0", "::1", 3262, "iqn.x:y", 0)]
    public void Portal_and_target_forms(string text, string host, int port, string? target, int? lun)
    {
        var url = IscsiUrl.Parse(text);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal(target, url.TargetName);
        Assert.Equal(lun, url.Lun);
        Assert.Null(url.Chap);
    }

    [Theory]
    [InlineData("http://host/iqn/1", "iscsi://")]
    [InlineData("iscsi://", "host")]
    [InlineData("iscsi://host:0/iqn/1", "port '0'")]
    [InlineData("iscsi://host:65536/iqn/1", "port '65536'")]
    [InlineData("iscsi://host:-1/iqn/1", "port '-1'")]
    [InlineData("iscsi://host/iqn/16384", "LUN '16384'")]
    [InlineData("iscsi://host/iqn/-1", "LUN '-1'")]
    [InlineData("iscsi://:3260/iqn/1", "host is missing")]
    [InlineData("iscsi://[::1/iqn/1", "closing ']'")]
    [InlineData("iscsi://bob@host/iqn/1", "user%secret")]
    [InlineData("iscsi://host/iqn/lun7", "LUN 'lun7'")]
    [InlineData("iscsi://host/iqn/99999", "LUN '99999'")]
    [InlineData("iscsi://host/iqn/1?header_digest=md5", "header_digest 'md5'")]
    [InlineData("iscsi://host/iqn/1?colour=blue", "'colour'")]
    [InlineData("iscsi://u%p@host/iqn/1?target_user=t", "target_password")]
    public void Bad_urls_name_the_problem(string text, string expected)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(text));
        Assert.Equal("UrlInvalid", ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Errors_never_echo_the_secret()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse("iscsi://bob%topsecret-value@host/iqn/notalun?target_user=t&target_password=other-secret"));
        Assert.DoesNotContain("topsecret-value", ex.Message);
        Assert.DoesNotContain("other-secret", ex.Message);
        Assert.Contains("bob%***@host", ex.Message);
    }

    [Fact]
    public void Url_settings_override_the_template_options()
    {
        var url = IscsiUrl.Parse("iscsi://u%secret-123456@h/iqn.a:b/1?header_digest=none&data_digest=crc32c&initiator_name=iqn.2026-11.me:x");
        var o = url.ToOptions(new IscsiSessionOptions { HeaderDigest = true, MaxBurstLength = 65536 });
        Assert.False(o.HeaderDigest);
        Assert.True(o.DataDigest);
        Assert.Equal(65536, o.MaxBurstLength);
        Assert.Equal("iqn.2026-11.me:x", o.InitiatorName);
        Assert.Equal("u", o.Chap!.UserName);
    }

    [Theory]
    [InlineData("se/cret-value-1")]
    [InlineData("se?cret-value-1")]
    [InlineData("se@cret-value-1")]
    [InlineData("se%cret-value-1")]
    public void A_secret_holding_url_delimiters_parses_and_never_shows(string secret)
    {
        string text = $"iscsi://bob%{secret}@host:3261/iqn.2026-11.test:disk/1";
        var url = IscsiUrl.Parse(text);
        Assert.Equal(("host", 3261, "iqn.2026-11.test:disk", 1), (url.Host, url.Port, url.TargetName, url.Lun));
        Assert.Equal(("bob", secret), (url.Chap!.UserName, url.Chap.Secret));
        Assert.Equal("iscsi://bob%***@host:3261/iqn.2026-11.test:disk/1", IscsiUrl.Redact(text));
        var bad = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(text.Replace("/1", "/x")));
        Assert.DoesNotContain("cret-value", bad.Message);
    }

    [Theory]
    [InlineData("iscsi://bob%se/cret-value-1/iqn.2026-11.test:disk/1")]
    [InlineData("iscsi://bob%se?x=cret-value-1@host/iqn.2026-11.test:disk/1")] // '?x=' reads as a query: the '@' is lost
    public void A_user_secret_whose_at_sign_is_missing_is_refused_without_any_of_it(string text)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(text));
        Assert.Equal("UrlInvalid", ex.ErrorId);
        Assert.DoesNotContain("cret-value", ex.Message);
        Assert.DoesNotContain("se/", ex.Message);
        Assert.Contains("iscsi://bob%***", ex.Message);
    }

    [Fact]
    public void An_ampersand_in_target_password_stays_in_the_password_and_out_of_messages()
    {
        string text = "iscsi://bob%first-secret-1@h/iqn.a:b/1?target_user=t&target_password=ab&cd-secret-2&header_digest=crc32c";
        var url = IscsiUrl.Parse(text);
        Assert.Equal("ab&cd-secret-2", url.TargetChap!.Secret);
        Assert.True(url.HeaderDigest);
        string redacted = IscsiUrl.Redact(text);
        Assert.Equal("iscsi://bob%***@h/iqn.a:b/1?target_user=t&target_password=***&header_digest=crc32c", redacted);
        var ex = Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(text.Replace("crc32c", "md5")));
        Assert.DoesNotContain("cd-secret", ex.Message);
        Assert.Contains("header_digest 'md5'", ex.Message);
    }

    [Fact]
    public void An_ipv6_zone_is_not_mistaken_for_a_secret()
    {
        const string text = "iscsi://[fe80::1%eth0]:3262/iqn.a:b/2";
        var url = IscsiUrl.Parse(text);
        Assert.Equal(("fe80::1%eth0", 3262), (url.Host, url.Port));
        Assert.Null(url.Chap);
        Assert.Equal(text, IscsiUrl.Redact(text));
    }
}
