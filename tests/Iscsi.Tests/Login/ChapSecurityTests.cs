using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Iscsi.Login;
using Iscsi.Tests.Infrastructure;
using static Iscsi.Tests.Login.LoginConversationTests;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

/// <summary>The CHAP security points not covered elsewhere: the target's response is compared in constant time
/// (checked in the source: timing cannot be measured reliably on a shared machine), and a response that differs in
/// its first byte, its last byte or its length is refused the same way. Reflection (ChapReflection), MD5 only as a
/// last choice (One_way_chap_md5's offer order), its warning and the short-secret warning (LoginWarningsTests), and
/// 0201 vs TargetAuthenticationFailed (LoginConversationTests, BadInputTargetTests) are tested where they live.</summary>
public sealed partial class ChapSecurityTests
{
    private static IscsiSessionOptions Mutual() => new()
    {
        Chap = new ChapCredential("alice", InitiatorSecret),
        TargetChap = new ChapCredential("target-user", TargetSecret),
    };

    [Fact]
    public void The_target_response_is_compared_with_FixedTimeEquals_and_nothing_else()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Iscsi", "Login", "SecurityNegotiation.cs"));
        Assert.Contains("CryptographicOperations.FixedTimeEquals(targetResponse, expectedResponse)", source);
        // Early-exit comparisons of a response leak how many leading bytes were right. (Challenges are public and
        // may be compared any way: the reflection check does.)
        foreach (var file in new[] { "SecurityNegotiation.cs", "Chap.cs" })
        {
            string text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Iscsi", "Login", file));
            Assert.DoesNotMatch(EarlyExitCompare(), text);
        }
    }

    [Theory]
    [InlineData("first")]
    [InlineData("last")]
    [InlineData("shorter")]
    [InlineData("longer")]
    public void A_response_wrong_anywhere_is_refused_alike(string where)
    {
        var machine = new LoginStateMachine(Mutual(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            r => SecurityToOperational("CHAP_N=target-user", "CHAP_R=" + Spoil(TargetAnswer(r, TargetSecret, MD5.HashData), where)));
        var e = Assert.Throws<IscsiAuthenticationException>(() => target.Run(machine));
        Assert.Equal("TargetAuthenticationFailed", e.ErrorId);
        Assert.Contains("'target-user'", e.Message);
        Assert.False(machine.IsComplete);
    }

    private static string Spoil(string answer, string where)
    {
        char[] hex = answer.ToCharArray();
        switch (where)
        {
            case "first": hex[2] = hex[2] == '0' ? '1' : '0'; return new string(hex);
            case "last": hex[^1] = hex[^1] == '0' ? '1' : '0'; return new string(hex);
            case "shorter": return answer[..^2];
            default: return answer + "00";
        }
    }

    [GeneratedRegex(@"[Rr]esponse\w*(?:\.AsSpan\(\))?\s*\.(?:SequenceEqual|SequenceCompareTo)|(?:SequenceEqual|SequenceCompareTo)\(\s*\w*[Rr]esponse|[Rr]esponse\w*\s*==")]
    private static partial Regex EarlyExitCompare();
}
