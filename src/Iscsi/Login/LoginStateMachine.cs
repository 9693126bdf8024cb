using System.Buffers;
using System.Text;

namespace Iscsi.Login;

/// <summary>
/// The initiator side of an iSCSI login (RFC 7143 6.3, 11.12, 11.13) without any I/O: the session layer asks
/// <see cref="NextRequest"/> what to send, sends it as a Login Request, and hands the Login Response back to
/// <see cref="HandleResponse"/> until it returns <see cref="LoginProgress.Complete"/> or
/// <see cref="LoginProgress.Redirect"/>. Failures throw (IscsiLoginException for a refusing status,
/// IscsiAuthenticationException, IscsiProtocolException).
/// </summary>
/// <remarks>
/// Flow: Security stage (always: it is where the target says whether it demands CHAP) → Operational stage →
/// Full Feature Phase. The target may hold us in a stage (T=0), split its text over several responses (C=1),
/// or go from the security stage straight to Full Feature Phase, in which case the RFC defaults apply.
/// </remarks>
public sealed class LoginStateMachine
{
    /// <summary>Responses accepted in one login before we call the target broken; real logins take 2 to 6.</summary>
    private const int MaxExchanges = 64;

    /// <summary>Largest text a target may spread over C=1 responses; login texts are well under a kilobyte.</summary>
    private const int MaxResponseTextLength = 64 * 1024;

    private const string InitiatorNameKey = "InitiatorName";
    private const string InitiatorAliasKey = "InitiatorAlias";
    private const string SessionTypeKey = "SessionType";
    private const string TargetNameKey = "TargetName";
    private const string TargetAddressKey = "TargetAddress";

    private readonly string _initiatorName;
    private readonly string? _initiatorAlias;
    private readonly string? _targetName;
    private readonly SessionType _sessionType;
    private readonly ChapCredential? _credential;
    private readonly SecurityNegotiation _security;
    private readonly OperationalNegotiation _operational;
    private readonly ArrayBufferWriter<byte> _partialText = new();

    private LoginStage _stage = LoginStage.SecurityNegotiation;
    private bool _identitySent;
    private LoginRequestStep? _outstanding;
    private bool _acknowledgeContinuation;
    private int _exchanges;
    private NegotiatedParameters? _negotiated;
    private bool _redirected;

    /// <param name="options">What to offer and the CHAP credentials.</param>
    /// <param name="sessionType">Normal or Discovery.</param>
    /// <param name="initiatorName">Our iSCSI name (see <see cref="InitiatorNames.Default()"/>).</param>
    /// <param name="targetName">The target to log in to; null for discovery (ignored there: RFC 7143 forbids
    /// TargetName in a discovery login).</param>
    public LoginStateMachine(IscsiSessionOptions options, SessionType sessionType, string initiatorName, string? targetName)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!InitiatorNames.IsValidName(initiatorName))
            throw new IscsiArgumentException("InitiatorNameInvalid",
                $"'{initiatorName}' is not a valid iSCSI initiator name (expected iqn.yyyy-mm.reversed.domain[:name], eui.<16 hex> or naa.<16 or 32 hex>, at most {InitiatorNames.MaxNameBytes} bytes).");
        if (sessionType == SessionType.Normal)
        {
            if (string.IsNullOrWhiteSpace(targetName))
                throw new IscsiArgumentException("TargetNameRequired", "A normal (non-discovery) login needs a target name.");
            if (targetName.Contains('\0') || Encoding.UTF8.GetByteCount(targetName) > InitiatorNames.MaxNameBytes)
                throw new IscsiArgumentException("TargetNameInvalid",
                    $"The target name '{TextSafety.Printable(targetName)}' is not a valid iSCSI name (NUL, or longer than {InitiatorNames.MaxNameBytes} bytes).");
        }
        if (options.TargetChap is not null && options.Chap is null)
            throw new IscsiArgumentException("MutualChapWithoutChap",
                $"A target credential ('{options.TargetChap.UserName}') was given for mutual CHAP without an initiator credential; mutual CHAP needs both.");
        if (options.TargetChap is not null && options.Chap is not null && options.TargetChap.Secret == options.Chap.Secret)
            throw new IscsiArgumentException("ChapSecretsIdentical",
                $"The initiator credential ('{options.Chap.UserName}') and the target credential ('{options.TargetChap.UserName}') have the same secret; RFC 7143 forbids one secret for both directions because it enables reflection attacks.");

        _initiatorName = initiatorName;
        _initiatorAlias = string.IsNullOrEmpty(options.InitiatorAlias) ? null : options.InitiatorAlias;
        _targetName = sessionType == SessionType.Normal ? targetName : null;
        _sessionType = sessionType;
        _credential = options.Chap;
        _security = new SecurityNegotiation(options.Chap, options.TargetChap, CheckedAlgorithms(options.ChapAlgorithms), options.LoginWarning);
        _operational = new OperationalNegotiation(options, sessionType);
    }

    /// <summary>The CHAP digest the target chose (null before it chose, or without CHAP).</summary>
    public ChapAlgorithm? ChosenChapAlgorithm => _security.ChosenAlgorithm;

    private static IReadOnlyList<ChapAlgorithm>? CheckedAlgorithms(IReadOnlyList<ChapAlgorithm>? algorithms)
    {
        if (algorithms is null) return null;
        if (algorithms.Count == 0)
            throw new IscsiArgumentException("ChapAlgorithmsEmpty", "The list of CHAP algorithms to offer is empty.");
        foreach (var a in algorithms)
            if (!Chap.IsSupported(a))
                throw new IscsiArgumentException("ChapAlgorithmUnsupported",
                    $"CHAP algorithm {a} ({(byte)a}) is not available on this platform; available: {string.Join(", ", Chap.SupportedAlgorithms)}.");
        return algorithms;
    }

    /// <summary>The TSIH from the latest response; the target's session handle once the login is complete.</summary>
    public ushort Tsih { get; private set; }

    /// <summary>"host[:port][,tpgt]" from the TargetAddress of a redirecting response.</summary>
    public string? RedirectAddress { get; private set; }

    /// <summary>The stage we are in now.</summary>
    public LoginStage CurrentStage => _stage;

    /// <summary>True once the target has moved us to Full Feature Phase.</summary>
    public bool IsComplete => _negotiated is not null;

    /// <summary>The agreed operational values; valid once <see cref="IsComplete"/>.</summary>
    public NegotiatedParameters Negotiated =>
        _negotiated ?? throw new InvalidOperationException("The login is not complete, so there are no negotiated parameters yet.");

    /// <summary>The Login Request to send now. Calling it again before <see cref="HandleResponse"/> returns the same request.</summary>
    public LoginRequestStep NextRequest()
    {
        if (IsComplete || _redirected)
            throw new InvalidOperationException("The login has finished; there is no further request to send.");
        if (_outstanding is { } pending)
            return pending;

        LoginRequestStep step;
        if (_acknowledgeContinuation)
        {
            // RFC 7143 6.1: a response with C=1 is acknowledged by an empty request; the target then sends the rest.
            step = new LoginRequestStep(false, false, _stage, LoginStage.SecurityNegotiation, []);
        }
        else
        {
            var keys = new TextKeyValues();
            bool ready;
            LoginStage next;
            if (_stage == LoginStage.SecurityNegotiation)
            {
                AddIdentity(keys);
                ready = _security.AddRequestKeys(keys);
                next = LoginStage.OperationalNegotiation;
            }
            else
            {
                AddIdentity(keys);
                _operational.AddOffers(keys);
                ready = true;
                next = LoginStage.FullFeaturePhase;
            }
            _operational.AddAnswers(keys);
            // NSG is reserved (zero) unless T is set (RFC 7143 11.12.3).
            step = new LoginRequestStep(ready, false, _stage, ready ? next : LoginStage.SecurityNegotiation, keys.Encode());
        }
        _outstanding = step;
        return step;
    }

    /// <summary>Takes the target's Login Response to the request last returned by <see cref="NextRequest"/>.</summary>
    public LoginProgress HandleResponse(in LoginResponseInfo response)
    {
        if (_outstanding is null)
            throw new InvalidOperationException("HandleResponse was called with no Login Request outstanding; call NextRequest and send it first.");
        _outstanding = null;
        if (++_exchanges > MaxExchanges)
            throw new IscsiProtocolException(
                $"The target kept the login going for more than {MaxExchanges} responses without finishing it.", "LoginTooManyExchanges");
        Tsih = response.Tsih;

        if (response.StatusClass != LoginStatus.ClassSuccess)
            return HandleRefusal(response);

        if (response.CurrentStage != _stage)
            throw new IscsiProtocolException(
                $"The target answered for login stage {response.CurrentStage} (CSG {(byte)response.CurrentStage}) while we are in {_stage} (CSG {(byte)_stage}).",
                "LoginStageMismatch");

        AppendText(response.Data.Span);
        if (response.Continue)
        {
            if (response.Transit)
                throw new IscsiProtocolException("The target set both the C (continue) and T (transit) bits in a Login Response; RFC 7143 forbids that.",
                    "LoginResponseInvalid");
            _acknowledgeContinuation = true;
            return LoginProgress.SendNext;
        }
        _acknowledgeContinuation = false;

        TextKeyValues text = TakeText();
        if (text.FirstDuplicateKey is { } duplicate)
            throw new IscsiProtocolException($"The target sent the key {duplicate} twice in one Login Response.", "TextKeyDuplicated");
        HandleKeys(text);

        if (!response.Transit)
            return LoginProgress.SendNext;
        return Transit(response.NextStage);
    }

    /// <summary>Names the parties and the stage; never a credential.</summary>
    public override string ToString() =>
        $"{_sessionType} login of '{_initiatorName}'{(_targetName is null ? "" : $" to '{_targetName}'")}, stage {_stage}" +
        (_credential is null ? "" : $", CHAP user '{_credential.UserName}'");

    private void AddIdentity(TextKeyValues keys)
    {
        if (_identitySent)
            return;
        _identitySent = true;
        // RFC 7143 6.3: InitiatorName and SessionType (and TargetName for a normal session) go in the first request.
        keys.Add(InitiatorNameKey, _initiatorName);
        if (_initiatorAlias is not null)
            keys.Add(InitiatorAliasKey, _initiatorAlias);
        keys.Add(SessionTypeKey, _sessionType == SessionType.Discovery ? "Discovery" : "Normal");
        if (_targetName is not null)
            keys.Add(TargetNameKey, _targetName);
    }

    private void HandleKeys(TextKeyValues text)
    {
        if (_stage == LoginStage.SecurityNegotiation)
        {
            _security.HandleResponseKeys(text);
        }
        else
        {
            foreach (var pair in text.Pairs)
            {
                if (SecurityNegotiation.IsSecurityKey(pair.Key))
                    throw new IscsiProtocolException(
                        $"The target sent the security key {pair.Key} during the operational stage.", "LoginKeyOutOfStage");
            }
        }
        foreach (var pair in text.Pairs)
        {
            if (!SecurityNegotiation.IsSecurityKey(pair.Key))
                _operational.HandleTargetKey(pair.Key, pair.Value);
        }
    }

    private LoginProgress Transit(LoginStage next)
    {
        bool legal = (_stage, next) is (LoginStage.SecurityNegotiation, LoginStage.OperationalNegotiation or LoginStage.FullFeaturePhase)
            or (LoginStage.OperationalNegotiation, LoginStage.FullFeaturePhase);
        if (!legal)
            throw new IscsiProtocolException(
                $"The target asked to move from login stage {_stage} to NSG {(byte)next}, which is not a forward stage transition.", "LoginStageInvalid");

        if (_stage == LoginStage.SecurityNegotiation)
            _security.CheckMayLeave();
        _stage = next;
        if (next != LoginStage.FullFeaturePhase)
            return LoginProgress.SendNext;
        _negotiated = _operational.Build(_security);
        return LoginProgress.Complete;
    }

    private LoginProgress HandleRefusal(in LoginResponseInfo response)
    {
        byte statusClass = response.StatusClass, statusDetail = response.StatusDetail;
        string status = $"{LoginStatus.Code(statusClass, statusDetail)} {LoginStatus.Name(statusClass, statusDetail)}";
        if (statusClass == LoginStatus.ClassRedirection)
        {
            AppendText(response.Data.Span);
            string? address = TakeText()[TargetAddressKey];
            if (string.IsNullOrEmpty(address))
                throw new IscsiProtocolException($"The target redirected the login ({status}) without saying where to (no TargetAddress).",
                    "RedirectWithoutAddress");
            RedirectAddress = address;
            _redirected = true;
            return LoginProgress.Redirect;
        }
        throw new IscsiLoginException(statusClass, statusDetail, $"Login refused: {status}: {RefusalReason(statusClass, statusDetail)}.");
    }

    private string RefusalReason(byte statusClass, byte statusDetail)
    {
        string target = _targetName is null ? "the discovery service" : $"target '{_targetName}'";
        return (statusClass, statusDetail) switch
        {
            (LoginStatus.ClassInitiatorError, LoginStatus.DetailAuthenticationFailure) when _security.AuthMethod == "CHAP" =>
                $"the target refused our CHAP credentials (user '{_credential!.UserName}'); check the user name and secret the target has for this initiator",
            (LoginStatus.ClassInitiatorError, LoginStatus.DetailAuthenticationFailure) when _credential is null =>
                "the target refused the login without authentication; it probably requires CHAP, and no CHAP credential was given",
            (LoginStatus.ClassInitiatorError, LoginStatus.DetailAuthenticationFailure) =>
                $"the target refused the authentication (CHAP user '{_credential!.UserName}' was offered)",
            (LoginStatus.ClassInitiatorError, LoginStatus.DetailAuthorizationFailure) =>
                $"initiator '{_initiatorName}' is not allowed to access {target}; check the target's access list",
            (LoginStatus.ClassInitiatorError, LoginStatus.DetailNotFound) when _targetName is not null =>
                $"the target name '{_targetName}' is unknown at this portal",
            (LoginStatus.ClassInitiatorError, 0x04) when _targetName is not null =>
                $"the target '{_targetName}' has been removed and the portal knows no new address for it",
            _ => LoginStatus.Meaning(statusClass, statusDetail),
        };
    }

    private void AppendText(ReadOnlySpan<byte> data)
    {
        if (_partialText.WrittenCount + data.Length > MaxResponseTextLength)
            throw new IscsiProtocolException(
                $"The target's login text exceeds {MaxResponseTextLength} bytes ({_partialText.WrittenCount + data.Length} so far).", "LoginTextTooLong");
        _partialText.Write(data);
    }

    private TextKeyValues TakeText()
    {
        var text = TextKeyValues.Parse(_partialText.WrittenSpan);
        _partialText.Clear();
        return text;
    }
}
