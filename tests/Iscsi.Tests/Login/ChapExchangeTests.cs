using System.Security.Cryptography;
using Iscsi.Login;
using static Iscsi.Tests.Login.LoginConversationTests;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

public class ChapExchangeTests
{
    private static IscsiSessionOptions OneWay() => new() { Chap = new ChapCredential("alice", InitiatorSecret) };

    /// <summary>Runs a one-way CHAP login whose target challenge step sends <paramref name="challengeKeys"/>.</summary>
    private static Exception ChallengeFailure(params string[] challengeKeys)
    {
        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, challengeKeys));
        return Assert.ThrowsAny<IscsiException>(() => target.Run(machine));
    }

    [Theory]
    [InlineData("0xZZ")]
    [InlineData("0x")]
    [InlineData("12345678")]
    [InlineData("0b***")]
    public void Malformed_challenge(string challenge)
    {
        var e = Assert.IsType<IscsiProtocolException>(ChallengeFailure("CHAP_A=5", "CHAP_I=1", "CHAP_C=" + challenge));
        Assert.Equal("ChapChallengeMalformed", e.ErrorId);
        Assert.Contains(challenge, e.Message);
    }

    [Fact]
    public void Challenge_over_1024_bytes_is_malformed_1024_is_accepted()
    {
        var e = Assert.IsType<IscsiProtocolException>(ChallengeFailure("CHAP_A=5", "CHAP_I=1", "CHAP_C=0x" + new string('7', 2050)));
        Assert.Equal("ChapChallengeMalformed", e.ErrorId);
        Assert.Contains("2052 characters", e.Message);

        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=1", "CHAP_C=0x" + new string('7', 2048)),
            r =>
            {
                byte[] expected = MD5.HashData([1, .. "secretsecret"u8, .. Enumerable.Repeat((byte)0x77, 1024)]);
                Assert.Equal("0x" + Convert.ToHexString(expected).ToLowerInvariant(), r["CHAP_R"]);
                return SecurityToOperational();
            },
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
    }

    [Theory]
    [InlineData("CHAP_A=4")]
    [InlineData("CHAP_A=Reject")]
    [InlineData("CHAP_A=5,7")]
    public void Algorithm_we_did_not_offer_is_refused(string algorithm)
    {
        var e = Assert.IsType<IscsiAuthenticationException>(ChallengeFailure(algorithm, "CHAP_I=1", "CHAP_C=" + TargetChallengeHex));
        Assert.Equal("ChapAlgorithmRefused", e.ErrorId);
        Assert.Contains("5 (MD5)", e.Message);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("one")]
    public void Bad_identifier_is_refused(string identifier)
    {
        var e = Assert.IsType<IscsiProtocolException>(ChallengeFailure("CHAP_A=5", "CHAP_I=" + identifier, "CHAP_C=" + TargetChallengeHex));
        Assert.Equal("ChapIdentifierMalformed", e.ErrorId);
    }

    [Fact]
    public void Incomplete_challenge_names_what_is_missing()
    {
        var e = Assert.IsType<IscsiProtocolException>(ChallengeFailure("CHAP_A=5"));
        Assert.Equal("ChapKeysMissing", e.ErrorId);
        Assert.Contains("CHAP_I, CHAP_C", e.Message);
    }

    [Fact]
    public void Chap_keys_out_of_turn_are_refused()
    {
        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP", "CHAP_C=0x01"));
        Assert.Equal("ChapUnexpectedKey", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Target_leaving_security_in_the_middle_of_chap_is_refused()
    {
        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=CHAP"));
        Assert.Equal("LoginStageInvalid", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Unoffered_auth_method_is_a_negotiation_failure()
    {
        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiProtocolException>(() =>
            new ScriptedTarget(_ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=SRP")).Run(machine));
        Assert.Equal("NegotiationFailed", e.ErrorId);
        Assert.Contains("AuthMethod=SRP", e.Message);
    }

    [Fact]
    public void Security_keys_in_operational_stage_are_refused()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=None"), _ => OperationalToFull("CHAP_A=5"));
        Assert.Equal("LoginKeyOutOfStage", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Sha3_is_offered_first_when_the_platform_has_it()
    {
        if (!SHA3_256.IsSupported)
            return;
        var machine = new LoginStateMachine(OneWay(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=8", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            _ => SecurityToOperational(),
            _ => OperationalToFull());
        target.Run(machine);
        Assert.Equal("8,7,6,5", target.Requests[1]["CHAP_A"]);
        // openssl dgst -sha3-256 of the ChapTests input (id 42, "secretsecret", the same challenge)
        Assert.Equal("0x4fa772956423c2ab351362ea4bc28c834689626dc08f7a76f1726e052008b9fd", target.Requests[2]["CHAP_R"]);
        Assert.Equal("SHA3-256", machine.Negotiated.ChapAlgorithm);
    }

    [Fact]
    public void The_md5_warning_is_said_before_our_response_leaves()
    {
        var said = new List<string>();
        int requestsWhenWarned = -1;
        var options = OneWay();
        ScriptedTarget? target = null;
        options.LoginWarning = w => { said.Add(w); requestsWhenWarned = target!.Requests.Count; };
        var machine = new LoginStateMachine(options, SessionType.Normal, Initiator, Target);
        target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=1", "CHAP_C=" + TargetChallengeHex),
            _ => SecurityToOperational(),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        Assert.Equal([SecurityNegotiation.Md5Warning], said);
        Assert.Equal(2, requestsWhenWarned); // the CHAP_A offer and the first request were out; the CHAP_R was not
        Assert.Contains("CHAP_R", target.Requests[2].Text);
    }

    [Fact]
    public void Md5_left_out_of_the_offer_is_refused_when_the_target_picks_it()
    {
        var options = OneWay();
        options.ChapAlgorithms = [ChapAlgorithm.Sha256, ChapAlgorithm.Sha1];
        var machine = new LoginStateMachine(options, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=1", "CHAP_C=" + TargetChallengeHex));
        var error = Assert.IsType<IscsiAuthenticationException>(Assert.ThrowsAny<IscsiException>(() => target.Run(machine)));
        Assert.Equal("ChapAlgorithmRefused", error.ErrorId);
        Assert.Equal("7,6", target.Requests[1]["CHAP_A"]);
    }
}
