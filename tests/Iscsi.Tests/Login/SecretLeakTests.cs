using System.Security.Cryptography;
using System.Text;
using Iscsi.Login;
using static Iscsi.Tests.Login.LoginConversationTests;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

/// <summary>Runs every kind of CHAP login, good and bad, and checks that no text we produce contains a secret.</summary>
public class SecretLeakTests
{
    private static IscsiSessionOptions Mutual() => new()
    {
        Chap = new ChapCredential("alice", InitiatorSecret),
        TargetChap = new ChapCredential("target-user", TargetSecret),
    };

    private static readonly Func<ReceivedRequest, LoginResponseInfo>[] Preamble =
    [
        _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
        _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
    ];

    public static TheoryData<string> Scenarios => new() { "success", "refused", "wrong-target", "reflection", "none-chosen", "not-found" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void No_text_contains_a_secret(string scenario)
    {
        var texts = new List<string>();
        var machine = new LoginStateMachine(Mutual(), SessionType.Normal, Initiator, Target);
        texts.Add(machine.ToString());

        Func<ReceivedRequest, LoginResponseInfo>[] script = scenario switch
        {
            "success" => [.. Preamble, r => SecurityToOperational("CHAP_N=target-user", "CHAP_R=" + TargetAnswer(r, TargetSecret, MD5.HashData)), _ => OperationalToFull()],
            "refused" => [.. Preamble, _ => Status(2, 1)],
            "wrong-target" => [.. Preamble, r => SecurityToOperational("CHAP_N=target-user", "CHAP_R=" + TargetAnswer(r, InitiatorSecret, MD5.HashData))],
            "reflection" => [Preamble[0], _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=1", "CHAP_C=" + ReflectedChallenge())],
            "none-chosen" => [_ => SecurityToOperational("AuthMethod=None")],
            _ => [_ => Status(2, 3)],
        };
        var target = new ScriptedTarget(script);
        try
        {
            target.Run(machine);
            texts.Add(machine.Negotiated.ToString()!);
            texts.Add(string.Join(",", typeof(NegotiatedParameters).GetProperties().Select(p => p.GetValue(machine.Negotiated)?.ToString())));
        }
        catch (IscsiException e)
        {
            texts.Add(e.Message);
            texts.Add(e.ToString());
        }
        texts.Add(machine.ToString());
        texts.AddRange(target.Requests.Select(r => r.Text));
        texts.AddRange(target.Requests.Select(r => r.Step.ToString()));
        texts.Add(Mutual().Chap!.ToString());

        foreach (string text in texts)
        {
            Assert.DoesNotContain(InitiatorSecret, text);
            Assert.DoesNotContain(TargetSecret, text);
            Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(InitiatorSecret)), text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.True(texts.Count >= 4);
    }

    /// <summary>A challenge we issued in another mutual login, as a rogue target would replay it.</summary>
    private static string ReflectedChallenge()
    {
        var other = new LoginStateMachine(Mutual(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(Preamble);
        target.Step(other);
        target.Step(other);
        return Split(other.NextRequest().Data).Single(p => p.Key == "CHAP_C").Value;
    }
}
