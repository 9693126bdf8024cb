using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

public sealed class ConnectRequestTests
{
    private const string Iqn = "iqn.2026-11.test.iscsimodule:disk";
    private static readonly ChapCredential Chap = new("chapuser", "chapsecret-0123456789");
    private static readonly ChapCredential TargetChap = new("targetuser", "targetsecret-9876543210");

    private static IscsiArgumentException Refused(ConnectRequest request) => Assert.Throws<IscsiArgumentException>(() => request.Build());

    [Fact]
    public void Node_and_portal_give_port_3260_and_no_authentication()
    {
        var plan = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "nas01" }.Build();
        Assert.Equal(("nas01", 3260, Iqn), (plan.Host, plan.Port, plan.NodeAddress));
        Assert.Equal(IscsiAuthenticationType.None, plan.AuthenticationType);
        Assert.Null(plan.Options.Chap);
        Assert.Null(plan.Options.TargetChap);
        Assert.False(plan.Options.HeaderDigest);
    }

    [Fact]
    public void Credentials_decide_the_authentication_type_when_none_is_given()
    {
        var oneWay = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", Credential = Chap }.Build();
        Assert.Equal(IscsiAuthenticationType.OneWayChap, oneWay.AuthenticationType);
        Assert.Same(Chap, oneWay.Options.Chap);
        var mutual = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", Credential = Chap, TargetCredential = TargetChap }.Build();
        Assert.Equal(IscsiAuthenticationType.MutualChap, mutual.AuthenticationType);
        Assert.Same(TargetChap, mutual.Options.TargetChap);
    }

    [Theory]
    [InlineData(IscsiAuthenticationType.OneWayChap, false, false, "CredentialRequired")]
    [InlineData(IscsiAuthenticationType.MutualChap, false, true, "CredentialRequired")]
    [InlineData(IscsiAuthenticationType.MutualChap, true, false, "TargetCredentialRequired")]
    [InlineData(IscsiAuthenticationType.None, true, false, "AuthenticationTypeConflict")]
    [InlineData(IscsiAuthenticationType.OneWayChap, true, true, "AuthenticationTypeConflict")]
    public void Authentication_rules_refuse_inconsistent_combinations(IscsiAuthenticationType type, bool chap, bool targetChap, string errorId)
    {
        var ex = Refused(new ConnectRequest
        {
            NodeAddress = Iqn, TargetPortalAddress = "h", AuthenticationType = type,
            Credential = chap ? Chap : null, TargetCredential = targetChap ? TargetChap : null,
        });
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(Iqn, ex.Message);
        Assert.DoesNotContain("chapsecret", ex.Message);
        Assert.DoesNotContain("targetsecret", ex.Message);
    }

    [Fact]
    public void Target_credential_alone_is_refused()
        => Assert.Equal("CredentialRequired", Refused(new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", TargetCredential = TargetChap }).ErrorId);

    [Fact]
    public void Uri_supplies_host_port_target_chap_and_digests()
    {
        var plan = new ConnectRequest { Uri = $"iscsi://chapuser%s3cret-0123456789@192.0.2.7:3261/{Iqn}?header_digest=crc32c" }.Build();
        Assert.Equal(("192.0.2.7", 3261, Iqn), (plan.Host, plan.Port, plan.NodeAddress));
        Assert.Equal(IscsiAuthenticationType.OneWayChap, plan.AuthenticationType);
        Assert.Equal("chapuser", plan.Options.Chap!.UserName);
        Assert.True(plan.Options.HeaderDigest);
    }

    [Fact]
    public void Explicit_digest_and_port_win_over_the_uri()
    {
        var plan = new ConnectRequest { Uri = $"iscsi://h:3261/{Iqn}?header_digest=crc32c", HeaderDigest = false, DataDigest = true, TargetPortalPortNumber = 4000 }.Build();
        Assert.False(plan.Options.HeaderDigest);
        Assert.True(plan.Options.DataDigest);
        Assert.Equal(4000, plan.Port);
    }

    [Fact]
    public void Uri_without_target_or_conflicting_with_parameters_is_refused_without_echoing_the_secret()
    {
        var missing = Refused(new ConnectRequest { Uri = "iscsi://u%topsecret-0123456789@h:3261" });
        Assert.Equal("UriTargetMissing", missing.ErrorId);
        Assert.DoesNotContain("topsecret", missing.Message);
        var conflict = Refused(new ConnectRequest { Uri = $"iscsi://h/{Iqn}", NodeAddress = "iqn.2026-11.other:x" });
        Assert.Equal("UriConflict", conflict.ErrorId);
        Assert.Contains("iqn.2026-11.other:x", conflict.Message);
        Assert.Equal("UrlInvalid", Refused(new ConnectRequest { Uri = "http://h/x" }).ErrorId);
    }

    [Fact]
    public void Missing_target_portal_or_bad_initiator_name_is_refused()
    {
        Assert.Equal("NodeAddressMissing", Refused(new ConnectRequest { TargetPortalAddress = "h" }).ErrorId);
        Assert.Equal("TargetPortalAddressMissing", Refused(new ConnectRequest { NodeAddress = Iqn }).ErrorId);
        var bad = Refused(new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", InitiatorName = "not an iqn" });
        Assert.Equal("InitiatorNameInvalid", bad.ErrorId);
        Assert.Contains("'not an iqn'", bad.Message);
    }

    [Fact]
    public void Build_does_not_change_the_template()
    {
        var template = new IscsiSessionOptions { CommandTimeout = TimeSpan.FromSeconds(7) };
        var plan = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", Credential = Chap, HeaderDigest = true, Template = template }.Build();
        Assert.Equal(TimeSpan.FromSeconds(7), plan.Options.CommandTimeout);
        Assert.Null(template.Chap);
        Assert.False(template.HeaderDigest);
    }
}
