using Iscsi.Login;
using static Iscsi.Tests.Login.LoginConversationTests;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

public class NegotiationTests
{
    /// <summary>No-auth login whose operational response carries <paramref name="answers"/> and moves to Full Feature Phase.</summary>
    private static (LoginStateMachine Machine, ScriptedTarget Target) LogIn(IscsiSessionOptions options, params string[] answers)
    {
        var machine = new LoginStateMachine(options, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=None"), _ => OperationalToFull(answers));
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        return (machine, target);
    }

    private static NegotiatedParameters Negotiate(IscsiSessionOptions options, params string[] answers) => LogIn(options, answers).Machine.Negotiated;

    private static IscsiProtocolException Refused(IscsiSessionOptions options, params string[] answers)
    {
        var e = Assert.Throws<IscsiProtocolException>(() => LogIn(options, answers));
        Assert.Equal("NegotiationFailed", e.ErrorId);
        return e;
    }

    // ---- Min: MaxBurstLength, FirstBurstLength, MaxOutstandingR2T, ErrorRecoveryLevel, MaxConnections, DefaultTime2Retain

    [Theory]
    [InlineData("MaxBurstLength=65536", 65536)]
    [InlineData("MaxBurstLength=0x10000", 65536)] // hex numbers are numbers too
    [InlineData("MaxBurstLength=16776192", 16776192)]
    public void MaxBurstLength_is_the_minimum(string answer, int expected) =>
        Assert.Equal(expected, Negotiate(new IscsiSessionOptions(), answer).MaxBurstLength);

    [Fact]
    public void Min_keys_take_the_smaller_value()
    {
        var options = new IscsiSessionOptions { MaxOutstandingR2T = 8, ErrorRecoveryLevel = 2, DefaultTime2Retain = 60 };
        var n = Negotiate(options, "MaxOutstandingR2T=4", "ErrorRecoveryLevel=1", "DefaultTime2Retain=0", "MaxConnections=1");
        Assert.Equal(4, n.MaxOutstandingR2T);
        Assert.Equal(1, n.ErrorRecoveryLevel);
        Assert.Equal(0, n.DefaultTime2Retain);
        Assert.Equal(1, n.MaxConnections);
    }

    [Theory]
    [InlineData("MaxBurstLength=16776193")]
    [InlineData("MaxOutstandingR2T=2")]
    [InlineData("ErrorRecoveryLevel=1")]
    [InlineData("MaxConnections=2")]
    [InlineData("DefaultTime2Retain=21")]
    [InlineData("MaxBurstLength=511")]
    [InlineData("MaxBurstLength=lots")]
    [InlineData("MaxBurstLength=-1")]
    public void Min_answer_above_our_offer_or_out_of_range_fails(string answer)
    {
        var e = Refused(new IscsiSessionOptions(), answer);
        Assert.Contains(answer, e.Message); // names key and value
    }

    [Fact]
    public void FirstBurstLength_never_exceeds_MaxBurstLength()
    {
        var options = new IscsiSessionOptions { MaxBurstLength = 65536, FirstBurstLength = 262144 };
        var (machine, target) = LogIn(options, "MaxBurstLength=16384", "FirstBurstLength=65536");
        Assert.Equal("65536", target.Requests[1]["FirstBurstLength"]); // offer capped at our MaxBurstLength
        Assert.Equal(16384, machine.Negotiated.MaxBurstLength);
        Assert.Equal(16384, machine.Negotiated.FirstBurstLength);
    }

    // ---- Max: DefaultTime2Wait

    [Fact]
    public void DefaultTime2Wait_is_the_maximum()
    {
        Assert.Equal(5, Negotiate(new IscsiSessionOptions(), "DefaultTime2Wait=5").DefaultTime2Wait);
        Assert.Contains("DefaultTime2Wait=1", Refused(new IscsiSessionOptions(), "DefaultTime2Wait=1").Message);
        Refused(new IscsiSessionOptions(), "DefaultTime2Wait=3601");
    }

    // ---- AND: ImmediateData

    [Theory]
    [InlineData(true, "Yes", true)]
    [InlineData(true, "No", false)]
    [InlineData(false, "No", false)]
    public void ImmediateData_is_and(bool offer, string answer, bool expected) =>
        Assert.Equal(expected, Negotiate(new IscsiSessionOptions { ImmediateData = offer }, "ImmediateData=" + answer).ImmediateData);

    [Fact]
    public void ImmediateData_yes_after_our_no_fails() =>
        Refused(new IscsiSessionOptions { ImmediateData = false }, "ImmediateData=Yes");

    // ---- OR: InitialR2T, DataPDUInOrder, DataSequenceInOrder (RFC 7143 13.10, 13.18, 13.19)

    [Theory]
    [InlineData(false, "No", false)]
    [InlineData(false, "Yes", true)]
    [InlineData(true, "Yes", true)]
    public void InitialR2T_is_or(bool offer, string answer, bool expected) =>
        Assert.Equal(expected, Negotiate(new IscsiSessionOptions { InitialR2T = offer }, "InitialR2T=" + answer).InitialR2T);

    [Fact]
    public void InitialR2T_no_after_our_yes_fails() =>
        Refused(new IscsiSessionOptions { InitialR2T = true }, "InitialR2T=No");

    [Fact]
    public void Data_ordering_keys_are_or()
    {
        var options = new IscsiSessionOptions { DataPduInOrder = false, DataSequenceInOrder = false };
        var n = Negotiate(options, "DataPDUInOrder=Yes", "DataSequenceInOrder=No");
        Assert.True(n.DataPduInOrder);
        Assert.False(n.DataSequenceInOrder);
        Refused(new IscsiSessionOptions(), "DataPDUInOrder=No");
        Refused(new IscsiSessionOptions(), "DataSequenceInOrder=Maybe");
    }

    // ---- List: digests

    [Fact]
    public void A_requested_digest_is_offered_alone_and_agreed()
    {
        var options = new IscsiSessionOptions { HeaderDigest = true, DataDigest = false };
        var (machine, target) = LogIn(options, "HeaderDigest=CRC32C", "DataDigest=None");
        Assert.Equal("CRC32C", target.Requests[1]["HeaderDigest"]);
        Assert.Equal("None", target.Requests[1]["DataDigest"]);
        Assert.True(machine.Negotiated.HeaderDigest);
        Assert.False(machine.Negotiated.DataDigest);
    }

    [Fact]
    public void Digest_outside_our_list_fails()
    {
        Assert.Contains("HeaderDigest=CRC32C", Refused(new IscsiSessionOptions(), "HeaderDigest=CRC32C").Message);
    }

    [Theory]
    [InlineData("HeaderDigest=None")]       // tgtd with digests off answers None to a CRC32C-only offer
    [InlineData("HeaderDigest=Reject")]
    [InlineData("HeaderDigest=NotUnderstood")]
    public void A_requested_digest_the_target_will_not_agree_fails_the_login(string answer)
    {
        var error = Assert.Throws<IscsiNegotiationException>(() => LogIn(new IscsiSessionOptions { HeaderDigest = true }, answer));
        Assert.Equal("DigestNotNegotiated", error.ErrorId);
        Assert.Equal("HeaderDigest", error.Key);
        Assert.Contains("header digests (CRC32C) were required", error.Message);
        Assert.Contains(answer, error.Message);
    }

    [Fact]
    public void A_requested_digest_the_target_never_answers_fails_the_login()
    {
        // No answer means the RFC default, None: not what was asked for.
        var error = Assert.Throws<IscsiNegotiationException>(() => LogIn(new IscsiSessionOptions { DataDigest = true }));
        Assert.Equal("DataDigest", error.Key);
    }

    [Fact]
    public void A_requested_digest_the_target_offers_only_None_for_fails_the_login()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions { DataDigest = true }, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None", "DataDigest=None"),
            _ => OperationalToFull());
        Assert.Equal("DigestNotNegotiated", Assert.Throws<IscsiNegotiationException>(() => target.Run(machine)).ErrorId);
    }

    // ---- Special answers

    [Fact]
    public void Reject_fails_naming_the_key()
    {
        var e = Refused(new IscsiSessionOptions(), "MaxBurstLength=Reject");
        Assert.Contains("MaxBurstLength=Reject", e.Message);
        Assert.Contains("16776192", e.Message);
    }

    [Fact]
    public void Unanswered_offers_combine_with_the_rfc_default()
    {
        // InitialR2T=No offered, never answered: OR with the default Yes gives Yes; MaxBurstLength: min(16776192, 262144).
        var n = Negotiate(new IscsiSessionOptions(), "ErrorRecoveryLevel=Irrelevant", "MaxConnections=NotUnderstood");
        Assert.True(n.InitialR2T);
        Assert.Equal(262144, n.MaxBurstLength);
        Assert.Equal(65536, n.FirstBurstLength);
        Assert.Equal(0, n.ErrorRecoveryLevel);
        Assert.Equal(1, n.MaxConnections);
    }

    // ---- Declaratives

    [Fact]
    public void Target_MaxRecvDataSegmentLength_is_recorded()
    {
        Assert.Equal(4096, Negotiate(new IscsiSessionOptions(), "MaxRecvDataSegmentLength=4096").TargetMaxRecvDataSegmentLength);
        Assert.Equal(8192, Negotiate(new IscsiSessionOptions()).TargetMaxRecvDataSegmentLength);
        Refused(new IscsiSessionOptions(), "MaxRecvDataSegmentLength=100");
        Refused(new IscsiSessionOptions(), "MaxRecvDataSegmentLength=16777216");
    }

    [Fact]
    public void Portal_group_tag_and_alias_are_recorded()
    {
        var n = Negotiate(new IscsiSessionOptions(), "TargetPortalGroupTag=0x0102", "TargetAlias=fast disk");
        Assert.Equal(0x0102, n.TargetPortalGroupTag);
        Assert.Equal("fast disk", n.TargetAlias);
        Refused(new IscsiSessionOptions(), "TargetPortalGroupTag=65536");
    }

    // ---- Keys the target sends on its own

    [Fact]
    public void Unknown_keys_are_answered_NotUnderstood_and_obsolete_markers_refused()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None"),
            _ => Reply(LoginStage.OperationalNegotiation, false, 0,
                "X-com.example.Turbo=Yes", "IFMarker=Yes", "OFMarkInt=2048~8192", "X-com.example.Old=NotUnderstood"),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        var answer = target.Requests[2];
        Assert.Equal("X-com.example.Turbo=NotUnderstood\0IFMarker=No\0OFMarkInt=Reject\0", answer.Text);
        Assert.True(answer.Step.Transit);
    }

    [Fact]
    public void Target_offering_first_gets_our_result_and_is_not_offered_again()
    {
        var options = new IscsiSessionOptions { MaxBurstLength = 65536 };
        var machine = new LoginStateMachine(options, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None", "MaxBurstLength=1048576", "DefaultTime2Wait=10", "HeaderDigest=CRC32C,None"),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        var operational = target.Requests[1];
        Assert.Equal("65536", operational["MaxBurstLength"]); // min(1048576, 65536)
        Assert.Equal("10", operational["DefaultTime2Wait"]);  // max(10, 2)
        Assert.Equal("None", operational["HeaderDigest"]);    // first of theirs that we accept
        Assert.Single(operational.Pairs, p => p.Key == "MaxBurstLength");
        Assert.Equal(65536, machine.Negotiated.MaxBurstLength);
        Assert.Equal(10, machine.Negotiated.DefaultTime2Wait);
    }

    [Fact]
    public void Renegotiating_a_settled_key_fails()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None"),
            _ => Reply(LoginStage.OperationalNegotiation, false, 0, "MaxBurstLength=8192"),
            _ => OperationalToFull("MaxBurstLength=4096"));
        Assert.Equal("NegotiationFailed", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    // ---- Discovery sessions

    [Fact]
    public void Discovery_session_sends_only_what_applies_and_answers_Irrelevant()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions { DataDigest = true }, SessionType.Discovery, Initiator, "ignored for discovery");
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None"),
            _ => Reply(LoginStage.OperationalNegotiation, false, 0, "DataDigest=CRC32C", "MaxBurstLength=65536"),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        Assert.Equal("InitiatorName=iqn.2026-11.test:init\0SessionType=Discovery\0AuthMethod=None\0", target.Requests[0].Text);
        Assert.Equal("HeaderDigest=None\0DataDigest=CRC32C\0MaxRecvDataSegmentLength=1048576\0", target.Requests[1].Text);
        Assert.Equal("MaxBurstLength=Irrelevant\0", target.Requests[2].Text);
        Assert.True(machine.Negotiated.DataDigest);
        Assert.Equal(262144, machine.Negotiated.MaxBurstLength); // RFC default, never negotiated
    }

    // ---- Caller values

    [Theory]
    [InlineData(nameof(IscsiSessionOptions.MaxRecvDataSegmentLength), 511)]
    [InlineData(nameof(IscsiSessionOptions.MaxBurstLength), 16777216)]
    [InlineData(nameof(IscsiSessionOptions.MaxOutstandingR2T), 0)]
    [InlineData(nameof(IscsiSessionOptions.DefaultTime2Wait), 3601)]
    [InlineData(nameof(IscsiSessionOptions.ErrorRecoveryLevel), 3)]
    public void Out_of_range_options_are_refused(string option, int value)
    {
        var options = new IscsiSessionOptions();
        typeof(IscsiSessionOptions).GetProperty(option)!.SetValue(options, value);
        var e = Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(options, SessionType.Normal, Initiator, Target));
        Assert.Equal("LoginOptionOutOfRange", e.ErrorId);
        Assert.Contains($"{option} = {value}", e.Message);
    }

    [Fact]
    public void Bad_names_and_credential_combinations_are_refused()
    {
        var options = new IscsiSessionOptions();
        Assert.Equal("InitiatorNameInvalid", Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(options, SessionType.Normal, "not-a-name", Target)).ErrorId);
        Assert.Equal("TargetNameRequired", Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(options, SessionType.Normal, Initiator, null)).ErrorId);
        Assert.Equal("TargetNameInvalid", Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(options, SessionType.Normal, Initiator, "a\0b")).ErrorId);

        var mutualOnly = new IscsiSessionOptions { TargetChap = new ChapCredential("t", TargetSecret) };
        Assert.Equal("MutualChapWithoutChap", Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(mutualOnly, SessionType.Normal, Initiator, Target)).ErrorId);

        var sameSecret = new IscsiSessionOptions { Chap = new ChapCredential("i", InitiatorSecret), TargetChap = new ChapCredential("t", InitiatorSecret) };
        var e = Assert.Throws<IscsiArgumentException>(() => new LoginStateMachine(sameSecret, SessionType.Normal, Initiator, Target));
        Assert.Equal("ChapSecretsIdentical", e.ErrorId);
        Assert.DoesNotContain(InitiatorSecret, e.Message);
    }
}
