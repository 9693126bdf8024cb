namespace Iscsi.Login;

/// <summary>
/// The operational keys (RFC 7143 section 13) of a login: what we offer, checking the target's answers
/// against the result functions, answering what the target offers or declares on its own, and the
/// resulting <see cref="NegotiatedParameters"/>. Values are kept as their wire strings until the end.
/// </summary>
internal sealed class OperationalNegotiation
{
    private const string TargetAliasKey = "TargetAlias";
    private const string TargetPortalGroupTagKey = "TargetPortalGroupTag";
    private const string TargetAddressKey = "TargetAddress";
    private const int DefaultMaxRecvDataSegmentLength = 8192;

    private readonly SessionType _sessionType;
    private readonly Dictionary<string, string> _ourValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _awaitingAnswer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _answersToSend = new();
    private bool _offersSent;
    private bool _declaredOurMaxRecv;

    public OperationalNegotiation(IscsiSessionOptions options, SessionType sessionType)
    {
        _sessionType = sessionType;
        // A digest asked for is required: offering "CRC32C,None" would let the target quietly pick None.
        string digests(bool wanted) => wanted ? OperationalKey.Crc32C : OperationalKey.None;

        _ourValues[OperationalKey.HeaderDigest] = digests(options.HeaderDigest);
        _ourValues[OperationalKey.DataDigest] = digests(options.DataDigest);
        _ourValues[OperationalKey.MaxRecvDataSegmentLength] = Checked(nameof(options.MaxRecvDataSegmentLength), options.MaxRecvDataSegmentLength, OperationalKey.MaxRecvDataSegmentLength);
        _ourValues[OperationalKey.MaxConnections] = "1"; // one connection per session: we do not do MC/S
        _ourValues[OperationalKey.InitialR2T] = TextValues.FormatBoolean(options.InitialR2T);
        _ourValues[OperationalKey.ImmediateData] = TextValues.FormatBoolean(options.ImmediateData);
        _ourValues[OperationalKey.MaxBurstLength] = Checked(nameof(options.MaxBurstLength), options.MaxBurstLength, OperationalKey.MaxBurstLength);
        // FirstBurstLength may not exceed MaxBurstLength; offering the smaller spares a caller who only lowered MaxBurstLength an error.
        _ourValues[OperationalKey.FirstBurstLength] = Checked(nameof(options.FirstBurstLength), Math.Min(options.FirstBurstLength, options.MaxBurstLength), OperationalKey.FirstBurstLength);
        _ourValues[OperationalKey.DefaultTime2Wait] = Checked(nameof(options.DefaultTime2Wait), options.DefaultTime2Wait, OperationalKey.DefaultTime2Wait);
        _ourValues[OperationalKey.DefaultTime2Retain] = Checked(nameof(options.DefaultTime2Retain), options.DefaultTime2Retain, OperationalKey.DefaultTime2Retain);
        _ourValues[OperationalKey.MaxOutstandingR2T] = Checked(nameof(options.MaxOutstandingR2T), options.MaxOutstandingR2T, OperationalKey.MaxOutstandingR2T);
        _ourValues[OperationalKey.DataPduInOrder] = TextValues.FormatBoolean(options.DataPduInOrder);
        _ourValues[OperationalKey.DataSequenceInOrder] = TextValues.FormatBoolean(options.DataSequenceInOrder);
        _ourValues[OperationalKey.ErrorRecoveryLevel] = Checked(nameof(options.ErrorRecoveryLevel), options.ErrorRecoveryLevel, OperationalKey.ErrorRecoveryLevel);
    }

    public int? TargetMaxRecvDataSegmentLength { get; private set; }
    public string? TargetAlias { get; private set; }
    public ushort TargetPortalGroupTag { get; private set; }
    public string? TargetAddress { get; private set; }

    /// <summary>Our offers and declarations, sent once, in the first operational-stage request.</summary>
    public void AddOffers(TextKeyValues request)
    {
        if (_offersSent)
            return;
        _offersSent = true;
        foreach (var key in OperationalKey.All)
        {
            if (_sessionType == SessionType.Discovery && !key.RelevantToDiscovery)
                continue;
            if (_results.ContainsKey(key.Name))
                continue; // the target offered it first and we already answered
            request.Add(key.Name, _ourValues[key.Name]);
            if (key.Function == ResultFunction.Declarative)
                _declaredOurMaxRecv = true;
            else
                _awaitingAnswer[key.Name] = _ourValues[key.Name];
        }
    }

    /// <summary>Answers to what the target offered in its last response.</summary>
    public void AddAnswers(TextKeyValues request)
    {
        foreach (var answer in _answersToSend)
            request.Add(answer.Key, answer.Value);
        _answersToSend.Clear();
    }

    /// <summary>One key=value from the target that is not a security key.</summary>
    public void HandleTargetKey(string key, string value)
    {
        switch (key)
        {
            case TargetAliasKey:
                TargetAlias = value;
                return;
            case TargetAddressKey:
                TargetAddress = value;
                return;
            case TargetPortalGroupTagKey:
                TargetPortalGroupTag = (ushort)ParseNumber(key, value, 0, ushort.MaxValue, "is not a number from 0 to 65535");
                return;
            case OperationalKey.MaxRecvDataSegmentLength:
                TargetMaxRecvDataSegmentLength = (int)ParseNumber(key, value, OperationalKey.MinLength, OperationalKey.MaxLength,
                    $"is not a length from {OperationalKey.MinLength} to {OperationalKey.MaxLength}");
                return;
            // RFC 7143 13.26 obsoletes the RFC 3720 marker keys but forbids answering them NotUnderstood; an RFC 3720
            // target may still offer them. "No" turns markers off, "Reject" refuses an interval.
            case "IFMarker" or "OFMarker":
                _answersToSend.Add(new(key, TextValues.No));
                return;
            case "IFMarkInt" or "OFMarkInt":
                _answersToSend.Add(new(key, TextValues.Reject));
                return;
        }

        var definition = OperationalKey.Find(key);
        if (definition is null)
        {
            // Never answer an answer: these only make sense as replies to something we sent.
            if (value is not (TextValues.NotUnderstood or TextValues.Irrelevant or TextValues.Reject))
                _answersToSend.Add(new(key, TextValues.NotUnderstood));
            return;
        }

        if (_awaitingAnswer.Remove(key, out string? offer))
        {
            RequireDigest(key, offer, value);
            _results[key] = CheckAnswer(definition, offer, value);
            return;
        }
        if (_results.TryGetValue(key, out string? agreed))
        {
            if (agreed != value)
                throw Failed(key, value, $"the key was already negotiated to {agreed}, and RFC 7143 forbids renegotiating it");
            return;
        }
        if (_sessionType == SessionType.Discovery && !definition.RelevantToDiscovery)
        {
            _answersToSend.Add(new(key, TextValues.Irrelevant));
            return;
        }
        string answer = Respond(definition, value);
        RequireDigest(key, _ourValues[key], answer == TextValues.Reject ? value : answer);
        if (answer != TextValues.Reject)
            _results[key] = answer;
        _answersToSend.Add(new(key, answer));
    }

    public NegotiatedParameters Build(SecurityNegotiation security)
    {
        // A target that never answered our digest offer runs with the default (None).
        RequireDigest(OperationalKey.HeaderDigest, _ourValues[OperationalKey.HeaderDigest], Result(OperationalKey.HeaderDigest));
        RequireDigest(OperationalKey.DataDigest, _ourValues[OperationalKey.DataDigest], Result(OperationalKey.DataDigest));
        return BuildParameters(security);
    }

    /// <summary><c>DigestNotNegotiated</c> when we require CRC32C for a digest key and the target's value is anything else.</summary>
    private static void RequireDigest(string key, string ours, string theirs)
    {
        if (key is not (OperationalKey.HeaderDigest or OperationalKey.DataDigest) || ours != OperationalKey.Crc32C
            || theirs == OperationalKey.Crc32C)
            return;
        string option = key == OperationalKey.HeaderDigest ? "header" : "data";
        throw new IscsiNegotiationException("DigestNotNegotiated", key,
            $"{option} digests (CRC32C) were required, but the target answered {key}={TextSafety.Printable(theirs, MaxQuoted)}: it does not allow them " +
            $"for this target. Connect without the {option} digest, or enable {key}=CRC32C on the target.");
    }

    private NegotiatedParameters BuildParameters(SecurityNegotiation security) => new()
    {
        HeaderDigest = Result(OperationalKey.HeaderDigest) == OperationalKey.Crc32C,
        DataDigest = Result(OperationalKey.DataDigest) == OperationalKey.Crc32C,
        MaxRecvDataSegmentLength = _declaredOurMaxRecv ? (int)ParseOwn(_ourValues[OperationalKey.MaxRecvDataSegmentLength]) : DefaultMaxRecvDataSegmentLength,
        TargetMaxRecvDataSegmentLength = TargetMaxRecvDataSegmentLength ?? DefaultMaxRecvDataSegmentLength,
        MaxBurstLength = NumberResult(OperationalKey.MaxBurstLength),
        FirstBurstLength = Math.Min(NumberResult(OperationalKey.FirstBurstLength), NumberResult(OperationalKey.MaxBurstLength)),
        ImmediateData = Result(OperationalKey.ImmediateData) == TextValues.Yes,
        InitialR2T = Result(OperationalKey.InitialR2T) == TextValues.Yes,
        MaxOutstandingR2T = NumberResult(OperationalKey.MaxOutstandingR2T),
        DataPduInOrder = Result(OperationalKey.DataPduInOrder) == TextValues.Yes,
        DataSequenceInOrder = Result(OperationalKey.DataSequenceInOrder) == TextValues.Yes,
        DefaultTime2Wait = NumberResult(OperationalKey.DefaultTime2Wait),
        DefaultTime2Retain = NumberResult(OperationalKey.DefaultTime2Retain),
        ErrorRecoveryLevel = NumberResult(OperationalKey.ErrorRecoveryLevel),
        MaxConnections = NumberResult(OperationalKey.MaxConnections),
        TargetAlias = TargetAlias,
        TargetPortalGroupTag = TargetPortalGroupTag,
        AuthMethod = security.AuthMethod,
        ChapAlgorithm = security.ChapAlgorithmName,
        MutualChap = security.TargetAuthenticated,
    };

    /// <summary>The agreed value; for an offer the target never answered, the result of our offer against the RFC
    /// default (the value a silent target is running with); for a key never offered (discovery, or a target that
    /// skipped the operational stage), the RFC default.</summary>
    private string Result(string key)
    {
        if (_results.TryGetValue(key, out string? agreed))
            return agreed;
        var definition = OperationalKey.Find(key)!;
        return _awaitingAnswer.TryGetValue(key, out string? offer) ? Combine(definition, offer, definition.Default) : definition.Default;
    }

    private int NumberResult(string key) => (int)ParseOwn(Result(key));

    /// <summary>Parses a value that is already known to be a valid decimal number (ours, or one we checked).</summary>
    private static long ParseOwn(string value) => long.Parse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Checks the target's answer to our offer: it must be a value the result function can produce
    /// from our offer. Returns the agreed value.</summary>
    private static string CheckAnswer(OperationalKey key, string offer, string answer)
    {
        if (answer == TextValues.Reject)
            throw Failed(key.Name, answer, $"the target rejected our offer {key.Name}={offer}");
        if (answer is TextValues.Irrelevant or TextValues.NotUnderstood)
            return Combine(key, offer, key.Default);

        switch (key.Function)
        {
            case ResultFunction.List:
                if (!offer.Split(',').Contains(answer))
                    throw Failed(key.Name, answer, $"we offered {key.Name}={offer}");
                return answer;
            case ResultFunction.Min:
            {
                long offered = ParseOwn(offer);
                long value = ParseNumber(key.Name, answer, key.Minimum, key.Maximum, $"is outside {key.Minimum}..{key.Maximum}");
                if (value > offered)
                    throw Failed(key.Name, answer, $"we offered {offer} and the result is the smaller value, so the answer must not exceed it");
                return TextValues.FormatNumber(value);
            }
            case ResultFunction.Max:
            {
                long offered = ParseOwn(offer);
                long value = ParseNumber(key.Name, answer, key.Minimum, key.Maximum, $"is outside {key.Minimum}..{key.Maximum}");
                if (value < offered)
                    throw Failed(key.Name, answer, $"we offered {offer} and the result is the larger value, so the answer must not be below it");
                return TextValues.FormatNumber(value);
            }
            case ResultFunction.And:
            case ResultFunction.Or:
            {
                bool offered = offer == TextValues.Yes;
                bool value = ParseBoolean(key.Name, answer);
                // The offer that decides the outcome alone (No for AND, Yes for OR) must be echoed back.
                bool decisive = key.Function == ResultFunction.Or;
                if (offered == decisive && value != decisive)
                    throw Failed(key.Name, answer, $"we offered {offer}, which fixes the {key.Function.ToString().ToUpperInvariant()} result to {offer}");
                return TextValues.FormatBoolean(key.Function == ResultFunction.And ? offered && value : offered || value);
            }
            default:
                return answer;
        }
    }

    /// <summary>Our answer when the target offers a key first.</summary>
    private string Respond(OperationalKey key, string targetOffer)
    {
        string ours = _ourValues[key.Name];
        switch (key.Function)
        {
            case ResultFunction.List:
                string[] acceptable = ours.Split(',');
                return targetOffer.Split(',').FirstOrDefault(v => acceptable.Contains(v)) ?? TextValues.Reject;
            case ResultFunction.Min or ResultFunction.Max:
                long offered = ParseNumber(key.Name, targetOffer, key.Minimum, key.Maximum, $"is outside {key.Minimum}..{key.Maximum}");
                return Combine(key, ours, TextValues.FormatNumber(offered));
            case ResultFunction.And or ResultFunction.Or:
                ParseBoolean(key.Name, targetOffer);
                return Combine(key, ours, targetOffer);
            default:
                return ours;
        }
    }

    /// <summary>The result function applied to two valid values (for lists: the first of <paramref name="a"/> in <paramref name="b"/>).</summary>
    private static string Combine(OperationalKey key, string a, string b) => key.Function switch
    {
        ResultFunction.Min => TextValues.FormatNumber(Math.Min(ParseOwn(a), ParseOwn(b))),
        ResultFunction.Max => TextValues.FormatNumber(Math.Max(ParseOwn(a), ParseOwn(b))),
        ResultFunction.And => TextValues.FormatBoolean(a == TextValues.Yes && b == TextValues.Yes),
        ResultFunction.Or => TextValues.FormatBoolean(a == TextValues.Yes || b == TextValues.Yes),
        ResultFunction.List => a.Split(',').FirstOrDefault(v => b.Split(',').Contains(v)) ?? key.Default,
        _ => a,
    };

    private static long ParseNumber(string key, string value, long minimum, long maximum, string problem)
    {
        if (!TextValues.TryParseNumber(value, out ulong number) || number < (ulong)minimum || number > (ulong)maximum)
            throw Failed(key, value, $"the value {problem}");
        return (long)number;
    }

    private static bool ParseBoolean(string key, string value)
    {
        if (!TextValues.TryParseBoolean(value, out bool result))
            throw Failed(key, value, "the value is neither Yes nor No");
        return result;
    }

    private static string Checked(string optionName, int value, string keyName)
    {
        var key = OperationalKey.Find(keyName)!;
        if (value < key.Minimum || value > key.Maximum)
            throw new IscsiArgumentException("LoginOptionOutOfRange",
                $"{optionName} = {value} is out of range: RFC 7143 allows {key.Minimum} to {key.Maximum} for {keyName}.");
        return TextValues.FormatNumber(value);
    }

    private static IscsiProtocolException Failed(string key, string value, string reason) =>
        new($"Login negotiation failed on {key}={TextSafety.Printable(value, MaxQuoted)}: {reason}.", "NegotiationFailed");

    // A target's value quoted in a message: enough to recognise it, not kilobytes of it.
    private const int MaxQuoted = 64;
}
