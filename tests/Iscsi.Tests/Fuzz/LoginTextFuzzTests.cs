using System.Security.Cryptography;
using System.Text;
using Iscsi.Discovery;
using Iscsi.Login;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// The text parser (<see cref="TextKeyValues"/>), SendTargets parsing and the whole login negotiation
/// (<see cref="LoginStateMachine"/>: security stage with CHAP, operational stage, discovery) on mutated target
/// text: huge keys and values, no '=', no NUL, invalid UTF-8, duplicates, malformed CHAP_A/CHAP_I/CHAP_C, plus
/// flipped header fields (status, T/C bits, stages). Only the documented errors: IscsiProtocolException,
/// IscsiLoginException, IscsiAuthenticationException.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class LoginTextFuzzTests
{
    private const string Initiator = "iqn.2026-11.test:fuzz";
    private const string Target = "iqn.2001-04.com.example:fuzz";
    private const string TargetSecret = "target-secret-99";
    private static readonly TargetPortal AskedPortal = new("127.0.0.1", 3260, 1);

    private static readonly string[] OperationalAnswers =
    [
        "HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=8192", "MaxConnections=1", "InitialR2T=Yes",
        "ImmediateData=Yes", "MaxBurstLength=262144", "FirstBurstLength=65536", "DefaultTime2Wait=2", "DefaultTime2Retain=0",
        "MaxOutstandingR2T=1", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0", "TargetAlias=fuzz",
    ];

    [Fact]
    public void Mutated_text_parses_to_pairs_that_encode_back_or_is_refused_as_malformed()
    {
        FuzzRunner.Run(nameof(TextKeyValues), random => MutateText(random, TextCorpus(random)), (text, unused) =>
        {
            var parsed = TextKeyValues.Parse(text);
            ObjectWalker.Touch(parsed);
            _ = parsed.FirstDuplicateKey;
            // What we accept we could also have sent: the pairs survive an encode/parse round trip unchanged.
            Assert.Equal(parsed.Pairs, TextKeyValues.Parse(parsed.Encode()).Pairs);
            ObjectWalker.Touch(SendTargetsDiscovery.Parse(parsed, AskedPortal));
        }, FuzzRunner.IsProtocolError);
    }

    [Fact]
    public void A_login_fed_one_mutated_response_completes_redirects_or_fails_with_a_documented_error()
    {
        FuzzRunner.Run(nameof(LoginStateMachine), random => [(byte)random.Next(4), (byte)random.Next(8)], (choice, random) =>
        {
            var (options, sessionType, script) = Scenario(choice[0]);
            int mutatedStep = choice[1] % script.Count;
            var machine = new LoginStateMachine(options, sessionType, Initiator, sessionType == SessionType.Normal ? Target : null);
            for (int step = 0; step < 80; step++)
            {
                var request = machine.NextRequest();
                var response = script[Math.Min(step, script.Count - 1)](request);
                if (step == mutatedStep) response = MutateResponse(response, random);
                var progress = machine.HandleResponse(response);
                if (progress == LoginProgress.Complete) { ObjectWalker.Touch(machine.Negotiated); return; }
                if (progress == LoginProgress.Redirect) { Assert.NotNull(machine.RedirectAddress); return; }
            }
            Assert.Fail("The login went on for 80 exchanges without finishing or failing.");
        }, FuzzRunner.IsProtocolError);
    }

    /// <summary>0: no authentication; 1: one-way CHAP; 2: mutual CHAP; 3: discovery.</summary>
    private static (IscsiSessionOptions, SessionType, List<Func<LoginRequestStep, LoginResponseInfo>>) Scenario(int which)
    {
        var chap = new ChapCredential("fuzz-user", "initiator-secret");
        var targetChap = new ChapCredential("fuzz-target", TargetSecret);
        var none = new List<Func<LoginRequestStep, LoginResponseInfo>>
        {
            _ => Reply(LoginStage.SecurityNegotiation, LoginStage.OperationalNegotiation, "AuthMethod=None", "TargetPortalGroupTag=1"),
            _ => Reply(LoginStage.OperationalNegotiation, LoginStage.FullFeaturePhase, OperationalAnswers),
        };
        var chapSteps = new List<Func<LoginRequestStep, LoginResponseInfo>>
        {
            _ => Hold(LoginStage.SecurityNegotiation, "AuthMethod=CHAP", "TargetPortalGroupTag=1"),
            _ => Hold(LoginStage.SecurityNegotiation, "CHAP_A=5", "CHAP_I=42", "CHAP_C=0x0123456789abcdeffedcba9876543210"),
        };
        switch (which)
        {
            case 1:
                return (new IscsiSessionOptions { Chap = chap }, SessionType.Normal,
                    [.. chapSteps, _ => Reply(LoginStage.SecurityNegotiation, LoginStage.OperationalNegotiation), none[1]]);
            case 2:
                return (new IscsiSessionOptions { Chap = chap, TargetChap = targetChap }, SessionType.Normal,
                    [.. chapSteps, r => Reply(LoginStage.SecurityNegotiation, LoginStage.OperationalNegotiation, "CHAP_N=fuzz-target", "CHAP_R=" + MutualAnswer(r)), none[1]]);
            case 3:
                return (new IscsiSessionOptions(), SessionType.Discovery, none);
            default:
                return (new IscsiSessionOptions(), SessionType.Normal, none);
        }
    }

    /// <summary>What an honest target answers to our mutual CHAP challenge (MD5, as CHAP_A=5 chose).</summary>
    private static string MutualAnswer(LoginRequestStep request)
    {
        var keys = TextKeyValues.Parse(request.Data);
        if (keys["CHAP_I"] is null || keys["CHAP_C"] is null) return "0x00"; // a mutant took the login elsewhere
        byte id = byte.Parse(keys["CHAP_I"]!, System.Globalization.CultureInfo.InvariantCulture);
        byte[] challenge = Convert.FromHexString(keys["CHAP_C"]![2..]);
        return "0x" + Convert.ToHexString(MD5.HashData([id, .. Encoding.UTF8.GetBytes(TargetSecret), .. challenge]));
    }

    private static LoginResponseInfo MutateResponse(LoginResponseInfo response, Random random)
    {
        byte[] data = response.Data.ToArray();
        if (random.Next(4) != 0) data = new TextMutator(random).Mutate(data);
        if (random.Next(2) == 0) data = new Mutator(random).Mutate(new FuzzInput(data));
        response = response with { Data = data };
        if (random.Next(5) == 0)
        {
            response = random.Next(6) switch
            {
                0 => response with { StatusClass = (byte)random.Next(4), StatusDetail = (byte)random.Next(16) },
                1 => response with { Transit = !response.Transit },
                2 => response with { Continue = !response.Continue },
                3 => response with { CurrentStage = (LoginStage)random.Next(4) },
                4 => response with { NextStage = (LoginStage)random.Next(256) },
                _ => response with { Tsih = (ushort)random.Next(65536) },
            };
        }
        return response;
    }

    private static byte[] MutateText(Random random, byte[] text) =>
        random.Next(3) switch
        {
            0 => new TextMutator(random).Mutate(text),
            1 => new Mutator(random).Mutate(new FuzzInput(text)),
            _ => new Mutator(random).Mutate(new FuzzInput(new TextMutator(random).Mutate(text))),
        };

    private static byte[] TextCorpus(Random random) => Encode(random.Next(4) switch
    {
        0 => OperationalAnswers,
        1 => ["AuthMethod=CHAP", "CHAP_A=5", "CHAP_I=42", "CHAP_C=0bASNFZ4mrze/+3LqYdlQyEA==", "CHAP_N=fuzz", "CHAP_R=0x00ff"],
        2 => ["TargetName=iqn.2025-01.test:a", "TargetAddress=127.0.0.1:3260,1", "TargetAddress=[::1]:3261,2", "TargetName=iqn.2025-01.test:b"],
        _ => ["TargetAddress=10.0.0.1", "TargetName=iqn.2025-01.test:c", "TargetAddress=host:0,1"],
    });

    private static LoginResponseInfo Reply(LoginStage current, LoginStage next, params string[] pairs) =>
        new(0, 0, true, false, current, next, 0x1234, Encode(pairs));

    private static LoginResponseInfo Hold(LoginStage current, params string[] pairs) =>
        new(0, 0, false, false, current, LoginStage.SecurityNegotiation, 0, Encode(pairs));

    private static byte[] Encode(string[] pairs) => pairs.Length == 0 ? [] : Encoding.UTF8.GetBytes(string.Join("\0", pairs) + "\0");
}
