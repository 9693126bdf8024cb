using System.Security.Cryptography;
using System.Text;
using Iscsi.Discovery;
using Iscsi.Login;
using static Iscsi.Tests.Login.LoginConversationTests;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

/// <summary>A target's text quoted in an error message (CHAP_N, AuthMethod, CHAP_A, negotiated values, text keys,
/// TargetAddress) comes out with its control characters as \xNN: a hostile target cannot clear or retitle the
/// terminal that shows the error.</summary>
public sealed class TargetTextInMessagesTests
{
    private const string Hostile = "evil\u001b[2J\u001b]0;owned\u0007\r";
    private const string Escaped = "evil\\x1B[2J\\x1B]0;owned\\x07\\x0D";

    [Fact]
    public void A_mutual_chap_name_from_the_target()
    {
        var options = new IscsiSessionOptions
        {
            Chap = new ChapCredential("alice", InitiatorSecret), TargetChap = new ChapCredential("target-user", TargetSecret),
        };
        var machine = new LoginStateMachine(options, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            r => SecurityToOperational("CHAP_N=" + Hostile, "CHAP_R=" + TargetAnswer(r, TargetSecret, MD5.HashData)));
        Expect(Assert.Throws<IscsiAuthenticationException>(() => target.Run(machine)));
    }

    [Fact]
    public void An_auth_method_from_the_target()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        Expect(Assert.ThrowsAny<IscsiException>(() => new ScriptedTarget(_ => SecurityToOperational("AuthMethod=" + Hostile)).Run(machine)));
    }

    [Fact]
    public void A_chap_algorithm_from_the_target()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions { Chap = new ChapCredential("alice", InitiatorSecret) },
            SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=" + Hostile, "CHAP_I=1", "CHAP_C=" + TargetChallengeHex));
        Expect(Assert.ThrowsAny<IscsiException>(() => target.Run(machine)));
    }

    [Fact]
    public void An_operational_value_from_the_target()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None"),
            _ => OperationalToFull("MaxBurstLength=" + Hostile));
        Expect(Assert.ThrowsAny<IscsiException>(() => target.Run(machine)));
    }

    [Fact]
    public void A_malformed_text_key_from_the_target()
    {
        var badKey = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.UTF8.GetBytes("Key\u001b[2J=1\0")));
        Assert.Contains("Key\\x1B[2J", badKey.Message);
        Assert.Contains("'\\x1B'", badKey.Message);
        NoControlCharacters(badKey.Message);
        var noEquals = Assert.Throws<IscsiProtocolException>(() => TextKeyValues.Parse(Encoding.UTF8.GetBytes("Key\u001b[2J\0")));
        Assert.Contains("Key\\x1B[2J", noEquals.Message);
    }

    [Fact]
    public void A_target_address_from_sendtargets()
    {
        Expect(Assert.Throws<IscsiProtocolException>(() => PortalAddress.Parse("10.0.0.1" + Hostile + ":99999,1")));
        var answer = TextKeyValues.Parse(Encode("TargetAddress=10.0.0.1" + Hostile));
        Expect(Assert.Throws<IscsiProtocolException>(() => SendTargetsDiscovery.Parse(answer, new TargetPortal("10.0.0.1", 3260, 1))));
    }

    [Fact]
    public void A_chap_user_name_we_were_given()
        => Expect(Assert.Throws<IscsiArgumentException>(() => new ChapCredential(Hostile, "")));

    private static void Expect(Exception e)
    {
        Assert.Contains(Escaped, e.Message);
        NoControlCharacters(e.Message);
    }

    private static void NoControlCharacters(string message)
        => Assert.False(message.Any(char.IsControl), $"control character in: {TextSafety.Printable(message)}");
}
