using System.Security.Cryptography;
using System.Text;

namespace Iscsi.Login;

/// <summary>
/// The security stage (CSG 0) keys: AuthMethod, then the CHAP exchange of RFC 7143 12.1.3:
/// <code>
///   I->T  AuthMethod=CHAP,None           T->I  AuthMethod=CHAP
///   I->T  CHAP_A=&lt;A1,A2,...&gt;            T->I  CHAP_A=&lt;A&gt; CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;
///   I->T  CHAP_N=&lt;N&gt; CHAP_R=&lt;R&gt;        (mutual: + CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;)
///                                        T->I  (mutual: CHAP_N=&lt;N&gt; CHAP_R=&lt;R&gt;)
/// </code>
/// Secrets only ever enter a hash; no message built here contains one.
/// </summary>
internal sealed class SecurityNegotiation
{
    private const string AuthMethodKey = "AuthMethod";
    private const string ChapAlgorithmKey = "CHAP_A";
    private const string ChapIdentifierKey = "CHAP_I";
    private const string ChapChallengeKey = "CHAP_C";
    private const string ChapNameKey = "CHAP_N";
    private const string ChapResponseKey = "CHAP_R";
    private const string MethodChap = "CHAP";
    private const string MethodNone = "None";

    private enum State
    {
        MethodNotSent,
        MethodSent,
        AlgorithmsToSend,
        AlgorithmsSent,
        ResponseToSend,
        ResponseSent,
        Done,
    }

    private readonly ChapCredential? _credential;
    private readonly ChapCredential? _targetCredential;
    private readonly ChapAlgorithm[] _offeredAlgorithms;
    private State _state = State.MethodNotSent;

    private ChapAlgorithm _algorithm;
    private byte _targetIdentifier;
    private byte[] _targetChallenge = [];
    private byte _ourIdentifier;
    private byte[] _ourChallenge = [];

    public SecurityNegotiation(ChapCredential? credential, ChapCredential? targetCredential,
        IReadOnlyList<ChapAlgorithm>? algorithms = null, Action<string>? warn = null)
    {
        _credential = credential;
        _targetCredential = targetCredential;
        _offeredAlgorithms = (algorithms ?? Chap.SupportedAlgorithms).ToArray();
        _warn = warn;
    }

    private readonly Action<string>? _warn;

    /// <summary>Said when the target picks MD5, before our response (which an eavesdropper or a rogue target can attack
    /// offline) leaves. The same words as the warning a session keeps after the login.</summary>
    public const string Md5Warning = "The target chose MD5 for CHAP: anyone who records this login can try to guess the secret offline from our " +
        "response. Use long random secrets, or refuse MD5 (leave it out of the CHAP algorithms offered).";

    /// <summary>"None" or "CHAP" once decided.</summary>
    public string AuthMethod { get; private set; } = MethodNone;

    /// <summary>The CHAP digest name, null unless CHAP was used.</summary>
    public string? ChapAlgorithmName { get; private set; }

    /// <summary>The CHAP digest the target chose, null until it has chosen.</summary>
    public ChapAlgorithm? ChosenAlgorithm => ChapAlgorithmName is null ? null : _algorithm;

    /// <summary>True once the target has proven it knows the mutual CHAP secret.</summary>
    public bool TargetAuthenticated { get; private set; }

    public static bool IsSecurityKey(string key) =>
        key == AuthMethodKey || key.StartsWith("CHAP_", StringComparison.Ordinal);

    private bool OffersChap => _credential is not null;
    private bool RequiresMutual => _targetCredential is not null;

    /// <summary>Adds this step's keys to <paramref name="request"/>; returns whether we are ready to leave the stage (T=1).</summary>
    public bool AddRequestKeys(TextKeyValues request)
    {
        switch (_state)
        {
            case State.MethodNotSent:
                // With a mutual credential, "None" is not offered: a target choosing it would dodge proving itself.
                request.Add(AuthMethodKey, RequiresMutual ? MethodChap : OffersChap ? $"{MethodChap},{MethodNone}" : MethodNone);
                _state = State.MethodSent;
                return !OffersChap;
            case State.MethodSent:
                return !OffersChap;
            case State.AlgorithmsToSend:
                request.Add(ChapAlgorithmKey, string.Join(',', _offeredAlgorithms.Select(a => ((byte)a).ToString(System.Globalization.CultureInfo.InvariantCulture))));
                _state = State.AlgorithmsSent;
                return false;
            case State.AlgorithmsSent:
                return false;
            case State.ResponseToSend:
                AddChapResponse(request);
                _state = State.ResponseSent;
                return true;
            default:
                return true;
        }
    }

    /// <summary>Consumes the security keys of one target response.</summary>
    public void HandleResponseKeys(TextKeyValues response)
    {
        switch (_state)
        {
            case State.MethodSent:
                RejectUnexpected(response, AuthMethodKey);
                if (response[AuthMethodKey] is { } method)
                    HandleAuthMethodAnswer(method);
                break;
            case State.AlgorithmsSent:
                RejectUnexpected(response, ChapAlgorithmKey, ChapIdentifierKey, ChapChallengeKey);
                HandleTargetChallenge(response);
                break;
            case State.ResponseSent:
                RejectUnexpected(response, ChapNameKey, ChapResponseKey);
                if (RequiresMutual)
                    VerifyTargetResponse(response);
                _state = State.Done;
                break;
            default:
                RejectUnexpected(response);
                break;
        }
    }

    /// <summary>Called when the target moves us out of the security stage: refuses to go on without the
    /// authentication we asked for.</summary>
    public void CheckMayLeave()
    {
        if (_state is State.AlgorithmsToSend or State.AlgorithmsSent or State.ResponseToSend)
            throw new IscsiProtocolException(
                "The target ended the security stage in the middle of the CHAP exchange it had chosen.", "LoginStageInvalid");
        if (RequiresMutual && !TargetAuthenticated)
            throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                $"Mutual CHAP was required (target credential '{_targetCredential!.UserName}') but the target ended the security stage without proving it knows the secret.");
        if (_state == State.ResponseSent)
            _state = State.Done;
    }

    private void HandleAuthMethodAnswer(string method)
    {
        switch (method)
        {
            case MethodNone when RequiresMutual:
                throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                    $"Mutual CHAP was required (target credential '{_targetCredential!.UserName}') but the target answered AuthMethod=None, which would skip proving its identity.");
            case MethodNone:
                AuthMethod = MethodNone;
                _state = State.Done;
                return;
            case MethodChap when !OffersChap:
            case TextValues.Reject when !OffersChap:
                throw new IscsiAuthenticationException("CredentialRequired",
                    $"The target requires CHAP authentication (it answered AuthMethod={TextSafety.Printable(method, MaxQuoted)}) but no CHAP credential was given.");
            case MethodChap:
                AuthMethod = MethodChap;
                _state = State.AlgorithmsToSend;
                return;
            default:
                string offered = RequiresMutual ? MethodChap : OffersChap ? "CHAP,None" : MethodNone;
                throw new IscsiProtocolException(
                    $"Login negotiation failed: the target answered AuthMethod={TextSafety.Printable(method, MaxQuoted)}, but we offered AuthMethod={offered}.", "NegotiationFailed");
        }
    }

    private void HandleTargetChallenge(TextKeyValues response)
    {
        string? algorithmText = response[ChapAlgorithmKey];
        string? identifierText = response[ChapIdentifierKey];
        string? challengeText = response[ChapChallengeKey];
        if (algorithmText is null || identifierText is null || challengeText is null)
        {
            var missing = new[] { (ChapAlgorithmKey, algorithmText), (ChapIdentifierKey, identifierText), (ChapChallengeKey, challengeText) }
                .Where(k => k.Item2 is null).Select(k => k.Item1);
            throw new IscsiProtocolException(
                $"The target's CHAP challenge is incomplete: {string.Join(", ", missing)} missing.", "ChapKeysMissing");
        }

        if (!TextValues.TryParseNumber(algorithmText, out ulong algorithmNumber)
            || !_offeredAlgorithms.Any(a => (ulong)a == algorithmNumber))
        {
            string offered = string.Join(", ", _offeredAlgorithms.Select(a => $"{(byte)a} ({Chap.AlgorithmName(a)})"));
            throw new IscsiAuthenticationException("ChapAlgorithmRefused",
                $"The target answered CHAP_A={TextSafety.Printable(algorithmText, MaxQuoted)}; we offered {offered}. There is no CHAP algorithm both sides support.");
        }
        _algorithm = (ChapAlgorithm)algorithmNumber;
        ChapAlgorithmName = Chap.AlgorithmName(_algorithm);
        if (_algorithm == ChapAlgorithm.Md5) _warn?.Invoke(Md5Warning);

        if (!TextValues.TryParseNumber(identifierText, out ulong identifier) || identifier > byte.MaxValue)
            throw new IscsiProtocolException(
                $"The target's CHAP_I={TextSafety.Printable(identifierText, MaxQuoted)} is not a number from 0 to 255.", "ChapIdentifierMalformed");
        _targetIdentifier = (byte)identifier;

        if (!Chap.TryParseBinary(challengeText, Chap.MaxChallengeLength, out byte[] challenge))
            throw new IscsiProtocolException(
                $"The target's CHAP_C={TextSafety.Printable(challengeText, MaxQuoted)} ({challengeText.Length} characters) is not a hex (0x) or base64 (0b) value of 1 to {Chap.MaxChallengeLength} bytes.",
                "ChapChallengeMalformed");
        if (ChapChallengeRegistry.WasIssued(challenge) || challenge.AsSpan().SequenceEqual(_ourChallenge))
            throw new IscsiAuthenticationException("ChapReflection",
                "The target sent a CHAP challenge identical to one we issued (a reflection attack); refusing to answer it.");
        _targetChallenge = challenge;
        _state = State.ResponseToSend;
    }

    private void AddChapResponse(TextKeyValues request)
    {
        byte[] response = Chap.ComputeResponse(_algorithm, _targetIdentifier, _credential!, _targetChallenge);
        request.Add(ChapNameKey, _credential!.UserName);
        request.Add(ChapResponseKey, Chap.FormatHex(response));
        if (!RequiresMutual)
            return;

        _ourIdentifier = (byte)RandomNumberGenerator.GetInt32(byte.MaxValue + 1);
        do
        {
            _ourChallenge = Chap.CreateChallenge(_algorithm);
        } while (_ourChallenge.AsSpan().SequenceEqual(_targetChallenge));
        ChapChallengeRegistry.Remember(_ourChallenge);
        request.Add(ChapIdentifierKey, _ourIdentifier.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Add(ChapChallengeKey, Chap.FormatHex(_ourChallenge));
    }

    private void VerifyTargetResponse(TextKeyValues response)
    {
        var expected = _targetCredential!;
        string? name = response[ChapNameKey];
        string? responseText = response[ChapResponseKey];
        if (name is null || responseText is null)
            throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                $"Mutual CHAP failed: the target did not answer our challenge (CHAP_N and CHAP_R expected for '{expected.UserName}').");
        if (!Chap.TryParseBinary(responseText, Chap.DigestLength(_algorithm), out byte[] targetResponse))
            throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                $"Mutual CHAP failed: the target's CHAP_R is not a {Chap.DigestLength(_algorithm)}-byte {ChapAlgorithmName} digest (target credential '{expected.UserName}').");

        byte[] expectedResponse = Chap.ComputeResponse(_algorithm, _ourIdentifier, expected, _ourChallenge);
        // Both comparisons always run, and in constant time, so timing tells an impostor nothing.
        bool nameMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(expected.UserName));
        bool responseMatches = CryptographicOperations.FixedTimeEquals(targetResponse, expectedResponse);
        if (!nameMatches)
            throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                $"Mutual CHAP failed: the target answered as CHAP_N '{TextSafety.Printable(name, MaxQuoted)}', not the expected '{expected.UserName}'.");
        if (!responseMatches)
            throw new IscsiAuthenticationException("TargetAuthenticationFailed",
                $"Mutual CHAP failed: the target's CHAP_R does not match the secret of target credential '{expected.UserName}'; the target may be an impostor or configured with another secret.");
        TargetAuthenticated = true;
    }

    private void RejectUnexpected(TextKeyValues response, params string[] expected)
    {
        foreach (var pair in response.Pairs)
        {
            if (IsSecurityKey(pair.Key) && Array.IndexOf(expected, pair.Key) < 0)
                throw new IscsiProtocolException(
                    $"The target sent {pair.Key} at a point of the security negotiation where it does not belong.", "ChapUnexpectedKey");
        }
    }

    // A target's value quoted in a message: enough to recognise it, not a kilobyte-long challenge.
    private const int MaxQuoted = 40;
}
