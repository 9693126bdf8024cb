using System.Security.Cryptography;
using System.Text;
using Iscsi.Login;
using static Iscsi.Tests.Login.ScriptedTarget;

namespace Iscsi.Tests.Login;

public class LoginConversationTests
{
    internal const string Initiator = "iqn.2026-11.test:init";
    internal const string Target = "iqn.2001-04.com.example:t1";
    internal const string InitiatorSecret = "secretsecret";
    internal const string TargetSecret = "targetsecret99";
    // The challenge of the openssl known answers in ChapTests (id 0x2A = 42).
    internal const string TargetChallengeHex = "0x0123456789abcdeffedcba9876543210";
    private const string Md5ResponseByOpenssl = "0x7633da181b8027cd87b942dca98c6a69";
    private const string Sha256ResponseByOpenssl = "0xca9c70933028adf6a2e0549ced3d5df06e54b538a1bf38553db109f5504ab134";

    private static IscsiSessionOptions OneWayChap() => new() { Chap = new ChapCredential("alice", InitiatorSecret) };

    private static IscsiSessionOptions MutualChap() => new()
    {
        Chap = new ChapCredential("alice", InitiatorSecret),
        TargetChap = new ChapCredential("target-user", TargetSecret),
    };

    /// <summary>What a real target computes for our mutual challenge, with .NET's hash directly rather than Chap.</summary>
    internal static string TargetAnswer(ReceivedRequest request, string secret, Func<byte[], byte[]> hash)
    {
        byte id = byte.Parse(request["CHAP_I"]!);
        byte[] challenge = Convert.FromHexString(request["CHAP_C"]![2..]);
        byte[] input = [id, .. Encoding.UTF8.GetBytes(secret), .. challenge];
        return "0x" + Convert.ToHexString(hash(input));
    }

    [Fact]
    public void No_authentication_login_byte_exact_first_request_and_results()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None", "TargetPortalGroupTag=1", "TargetAlias=disk one"),
            _ => OperationalToFull(TypicalOperationalAnswers) with { Tsih = 0x1234 });

        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        var first = target.Requests[0];
        Assert.Equal(new LoginRequestStep(true, false, LoginStage.SecurityNegotiation, LoginStage.OperationalNegotiation, first.Step.Data), first.Step);
        Assert.Equal(Encoding.ASCII.GetBytes(
            "InitiatorName=iqn.2026-11.test:init\0SessionType=Normal\0TargetName=iqn.2001-04.com.example:t1\0AuthMethod=None\0"), first.Step.Data);

        var second = target.Requests[1];
        Assert.Equal((true, LoginStage.OperationalNegotiation, LoginStage.FullFeaturePhase),
            (second.Step.Transit, second.Step.CurrentStage, second.Step.NextStage));
        Assert.Equal(
            "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=1048576\0MaxConnections=1\0InitialR2T=No\0ImmediateData=Yes\0" +
            "MaxBurstLength=16776192\0FirstBurstLength=262144\0DefaultTime2Wait=2\0DefaultTime2Retain=20\0MaxOutstandingR2T=1\0" +
            "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0ErrorRecoveryLevel=0\0", second.Text);

        Assert.True(machine.IsComplete);
        Assert.Equal(0x1234, machine.Tsih);
        var n = machine.Negotiated;
        Assert.False(n.HeaderDigest);
        Assert.False(n.DataDigest);
        Assert.Equal(1048576, n.MaxRecvDataSegmentLength);
        Assert.Equal(8192, n.TargetMaxRecvDataSegmentLength);
        Assert.Equal(262144, n.MaxBurstLength);
        Assert.Equal(65536, n.FirstBurstLength);
        Assert.True(n.InitialR2T);
        Assert.True(n.ImmediateData);
        Assert.Equal(0, n.DefaultTime2Retain);
        Assert.Equal(1, n.TargetPortalGroupTag);
        Assert.Equal("disk one", n.TargetAlias);
        Assert.Equal("None", n.AuthMethod);
        Assert.Null(n.ChapAlgorithm);
        Assert.Throws<InvalidOperationException>(() => machine.NextRequest());
    }

    [Fact]
    public void Alias_is_sent_when_set()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions { InitiatorAlias = "backup host" }, SessionType.Normal, Initiator, Target);
        Assert.Equal("InitiatorName=iqn.2026-11.test:init\0InitiatorAlias=backup host\0SessionType=Normal\0TargetName=iqn.2001-04.com.example:t1\0AuthMethod=None\0",
            Encoding.ASCII.GetString(machine.NextRequest().Data));
    }

    [Fact]
    public void NextRequest_repeats_until_a_response_is_handled_and_order_is_enforced()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var first = machine.NextRequest();
        Assert.Equal(first, machine.NextRequest());
        machine.HandleResponse(SecurityToOperational("AuthMethod=None"));
        Assert.Throws<InvalidOperationException>(() => machine.HandleResponse(OperationalToFull()));
        Assert.Throws<InvalidOperationException>(() => machine.Negotiated);
    }

    [Fact]
    public void One_way_chap_md5()
    {
        var machine = new LoginStateMachine(OneWayChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            r => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP", "TargetPortalGroupTag=1"),
            r => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            r => SecurityToOperational(),
            r => OperationalToFull(TypicalOperationalAnswers));

        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        var r = target.Requests;
        Assert.Equal("CHAP,None", r[0]["AuthMethod"]);
        Assert.False(r[0].Step.Transit); // not ready to leave: CHAP may follow
        Assert.Equal(["CHAP_A"], r[1].Keys);
        Assert.Equal(string.Join(",", Chap.SupportedAlgorithms.Select(a => (int)a)), r[1]["CHAP_A"]);
        Assert.StartsWith("7,6,5", r[1]["CHAP_A"]!.Replace("8,", ""));
        Assert.False(r[1].Step.Transit);
        Assert.Equal(["CHAP_N", "CHAP_R"], r[2].Keys);
        Assert.Equal("alice", r[2]["CHAP_N"]);
        Assert.Equal(Md5ResponseByOpenssl, r[2]["CHAP_R"]);
        Assert.Equal((true, LoginStage.OperationalNegotiation), (r[2].Step.Transit, r[2].Step.NextStage));

        Assert.Equal("CHAP", machine.Negotiated.AuthMethod);
        Assert.Equal("MD5", machine.Negotiated.ChapAlgorithm);
        Assert.False(machine.Negotiated.MutualChap);
    }

    [Fact]
    public void Target_choosing_none_when_chap_was_offered_is_accepted()
    {
        var machine = new LoginStateMachine(OneWayChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=None"),
            _ => SecurityToOperational(),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        Assert.Empty(target.Requests[1].Pairs);
        Assert.True(target.Requests[1].Step.Transit);
        Assert.Equal("None", machine.Negotiated.AuthMethod);
    }

    [Fact]
    public void Mutual_chap_sha256_success()
    {
        var machine = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=7", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            r => SecurityToOperational("CHAP_N=target-user", "CHAP_R=" + TargetAnswer(r, TargetSecret, SHA256.HashData)),
            _ => OperationalToFull(TypicalOperationalAnswers));

        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        var r = target.Requests;
        Assert.Equal("CHAP", r[0]["AuthMethod"]); // None is not offered when the target must prove itself
        Assert.Equal(["CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C"], r[2].Keys);
        Assert.Equal(Sha256ResponseByOpenssl, r[2]["CHAP_R"]);
        Assert.InRange(int.Parse(r[2]["CHAP_I"]!), 0, 255);
        Assert.Equal(2 + 2 * 32, r[2]["CHAP_C"]!.Length); // SHA-256: a 32-byte challenge
        Assert.NotEqual(TargetChallengeHex, r[2]["CHAP_C"]);

        Assert.Equal("SHA256", machine.Negotiated.ChapAlgorithm);
        Assert.True(machine.Negotiated.MutualChap);
    }

    [Fact]
    public void Mutual_chap_over_several_responses_target_answers_with_T0()
    {
        var machine = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=0x2a", "CHAP_C=0bASNFZ4mrze/+3LqYdlQyEA=="),
            r => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_N=target-user", "CHAP_R=" + TargetAnswer(r, TargetSecret, MD5.HashData)),
            _ => SecurityToOperational(),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        Assert.Equal(Md5ResponseByOpenssl, target.Requests[2]["CHAP_R"]); // base64 and hex forms of the same challenge/identifier
        Assert.Empty(target.Requests[3].Pairs);
        Assert.True(target.Requests[3].Step.Transit);
        Assert.True(machine.Negotiated.MutualChap);
    }

    public static TheoryData<string[]> WrongTargetAnswers => new()
    {
        new[] { "CHAP_N=target-user", "CHAP_R=WRONG-SECRET" },
        new[] { "CHAP_N=someone-else", "CHAP_R=RIGHT" },
        new[] { "CHAP_N=target-user" },
        new string[0],
        new[] { "CHAP_N=target-user", "CHAP_R=0x00" },
    };

    [Theory]
    [MemberData(nameof(WrongTargetAnswers))]
    public void Mutual_chap_failure_is_TargetAuthenticationFailed(string[] answer)
    {
        var machine = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            r => SecurityToOperational(answer
                .Select(a => a.Replace("WRONG-SECRET", TargetAnswer(r, "not-the-secret", MD5.HashData)))
                .Select(a => a.Replace("RIGHT", TargetAnswer(r, TargetSecret, MD5.HashData)))
                .ToArray()));

        var e = Assert.Throws<IscsiAuthenticationException>(() => target.Run(machine));
        Assert.Equal("TargetAuthenticationFailed", e.ErrorId);
        Assert.Contains("target-user", e.Message);
        Assert.DoesNotContain(TargetSecret, e.Message);
        Assert.False(machine.IsComplete);
    }

    [Fact]
    public void Mutual_chap_refuses_a_target_choosing_none()
    {
        var machine = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=None"));
        Assert.Equal("TargetAuthenticationFailed", Assert.Throws<IscsiAuthenticationException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Mutual_chap_refuses_a_target_skipping_the_security_stage()
    {
        var machine = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational());
        Assert.Equal("TargetAuthenticationFailed", Assert.Throws<IscsiAuthenticationException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Reflected_challenge_is_refused()
    {
        // Login A is a mutual CHAP login that sends the target our challenge.
        var loginA = new LoginStateMachine(MutualChap(), SessionType.Normal, Initiator, Target);
        var targetA = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex));
        targetA.Step(loginA);
        targetA.Step(loginA);
        string ourChallenge = ScriptedTarget.Split(loginA.NextRequest().Data).Single(p => p.Key == "CHAP_C").Value;

        // The rogue target then asks login B to answer that very challenge, to replay the answer on login A.
        var loginB = new LoginStateMachine(OneWayChap(), SessionType.Normal, Initiator, Target);
        var targetB = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=7", "CHAP_C=" + ourChallenge.ToUpperInvariant().Replace("0X", "0x")));
        var e = Assert.Throws<IscsiAuthenticationException>(() => targetB.Run(loginB));
        Assert.Equal("ChapReflection", e.ErrorId);
        Assert.Equal(2, targetB.Requests.Count); // no CHAP_R was ever produced for it
    }

    [Fact]
    public void Target_refusing_our_credentials_is_login_exception_0201()
    {
        var machine = new LoginStateMachine(OneWayChap(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "CHAP_A=5", "CHAP_I=42", "CHAP_C=" + TargetChallengeHex),
            _ => Status(2, 1));
        var e = Assert.Throws<IscsiLoginException>(() => target.Run(machine));
        Assert.Equal((2, 1), (e.StatusClass, e.StatusDetail));
        Assert.Equal("LoginFailed.0201", e.ErrorId);
        Assert.Contains("0x0201 Authentication failure", e.Message);
        Assert.Contains("refused our CHAP credentials (user 'alice')", e.Message);
        Assert.DoesNotContain(InitiatorSecret, e.Message);
    }

    [Fact]
    public void Status_0201_without_credential_says_so()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiLoginException>(() => new ScriptedTarget(_ => Status(2, 1)).Run(machine));
        Assert.Contains("no CHAP credential was given", e.Message);
    }

    [Fact]
    public void Unknown_target_names_the_target()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiLoginException>(() => new ScriptedTarget(_ => Status(2, 3)).Run(machine));
        Assert.Equal($"Login refused: 0x0203 Target not found: the target name '{Target}' is unknown at this portal.", e.Message);
    }

    [Theory]
    [InlineData(2, 2, "0x0202 Authorization failure: initiator 'iqn.2026-11.test:init' is not allowed")]
    [InlineData(3, 1, "0x0301 Service unavailable: the iSCSI service or the target is not currently operational")]
    [InlineData(2, 0x20, "0x0220 Unknown initiator error")]
    public void Other_refusals_spell_out_the_status(byte statusClass, byte statusDetail, string expected)
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiLoginException>(() => new ScriptedTarget(_ => Status(statusClass, statusDetail)).Run(machine));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void No_credential_but_target_demands_chap()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiAuthenticationException>(() =>
            new ScriptedTarget(_ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=CHAP")).Run(machine));
        Assert.Equal("CredentialRequired", e.ErrorId);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void Redirect_reports_the_target_address(byte statusClass, byte statusDetail)
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => Status(statusClass, statusDetail, "TargetAddress=192.0.2.7:3261,2"));
        Assert.Equal(LoginProgress.Redirect, target.Run(machine));
        Assert.Equal("192.0.2.7:3261,2", machine.RedirectAddress);
        Assert.False(machine.IsComplete);
        Assert.Throws<InvalidOperationException>(() => machine.NextRequest());
    }

    [Fact]
    public void Redirect_without_address_is_a_protocol_error()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiProtocolException>(() => new ScriptedTarget(_ => Status(1, 1)).Run(machine));
        Assert.Equal("RedirectWithoutAddress", e.ErrorId);
        Assert.Contains("0x0101", e.Message);
    }

    [Fact]
    public void Continued_text_is_accumulated_across_responses()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        byte[] whole = Encode("MaxBurstLength=65536", "HeaderDigest=None", "TargetAlias=split alias");
        // Split inside a value and inside a key, as RFC 7143 6.1 allows.
        byte[] part1 = whole[..17], part2 = whole[17..30], part3 = whole[30..];
        LoginResponseInfo Part(byte[] data, bool more) =>
            new(0, 0, !more, more, LoginStage.OperationalNegotiation, more ? 0 : LoginStage.FullFeaturePhase, 0, data);

        var target = new ScriptedTarget(
            _ => SecurityToOperational("AuthMethod=None"),
            _ => Part(part1, true),
            _ => Part(part2, true),
            _ => Part(part3, false));
        Assert.Equal(LoginProgress.Complete, target.Run(machine));

        foreach (var ack in target.Requests.Skip(2))
            Assert.Equal(new LoginRequestStep(false, false, LoginStage.OperationalNegotiation, LoginStage.SecurityNegotiation, []), ack.Step with { Data = [] });
        Assert.Empty(target.Requests[2].Step.Data);
        Assert.Empty(target.Requests[3].Step.Data);
        Assert.Equal(65536, machine.Negotiated.MaxBurstLength);
        Assert.Equal("split alias", machine.Negotiated.TargetAlias);
    }

    [Fact]
    public void Continue_and_transit_together_is_a_protocol_error()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var bad = SecurityToOperational("AuthMethod=None") with { Continue = true };
        Assert.Equal("LoginResponseInvalid", Assert.Throws<IscsiProtocolException>(() => new ScriptedTarget(_ => bad).Run(machine)).ErrorId);
    }

    [Fact]
    public void Target_holding_us_in_a_stage_keeps_the_exchange_going()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0, "AuthMethod=None"),
            _ => Reply(LoginStage.SecurityNegotiation, false, 0),
            _ => SecurityToOperational(),
            _ => Reply(LoginStage.OperationalNegotiation, false, 0, "HeaderDigest=None"),
            _ => OperationalToFull());
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        Assert.All(target.Requests.Skip(1).Take(2), r => Assert.Equal((true, LoginStage.OperationalNegotiation), (r.Step.Transit, r.Step.NextStage)));
        Assert.Empty(target.Requests[4].Pairs); // offers are made once
        Assert.True(target.Requests[4].Step.Transit);
    }

    [Fact]
    public void Target_going_from_security_straight_to_full_feature_gives_defaults()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions { MaxBurstLength = 65536 }, SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => Reply(LoginStage.SecurityNegotiation, true, LoginStage.FullFeaturePhase, "AuthMethod=None"));
        Assert.Equal(LoginProgress.Complete, target.Run(machine));
        var n = machine.Negotiated;
        Assert.Equal(8192, n.MaxRecvDataSegmentLength); // never declared, so the RFC default binds the target
        Assert.Equal(8192, n.TargetMaxRecvDataSegmentLength);
        Assert.Equal(262144, n.MaxBurstLength);
        Assert.Equal(65536, n.FirstBurstLength);
        Assert.True(n.InitialR2T);
    }

    [Fact]
    public void Response_for_another_stage_is_refused()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var e = Assert.Throws<IscsiProtocolException>(() => new ScriptedTarget(_ => OperationalToFull()).Run(machine));
        Assert.Equal("LoginStageMismatch", e.ErrorId);
    }

    [Fact]
    public void Backward_transition_is_refused()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=None"),
            _ => Reply(LoginStage.OperationalNegotiation, true, LoginStage.SecurityNegotiation));
        Assert.Equal("LoginStageInvalid", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Endless_target_is_cut_off()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(Enumerable.Repeat<Func<ReceivedRequest, LoginResponseInfo>>(
            _ => Reply(LoginStage.SecurityNegotiation, false, 0), 100).ToArray());
        Assert.Equal("LoginTooManyExchanges", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }

    [Fact]
    public void Duplicate_key_in_a_response_is_refused()
    {
        var machine = new LoginStateMachine(new IscsiSessionOptions(), SessionType.Normal, Initiator, Target);
        var target = new ScriptedTarget(_ => SecurityToOperational("AuthMethod=None", "AuthMethod=None"));
        Assert.Equal("TextKeyDuplicated", Assert.Throws<IscsiProtocolException>(() => target.Run(machine)).ErrorId);
    }
}
