using Iscsi;
using Iscsi.Discovery;

namespace IscsiModule.Logic;

/// <summary>
/// What Connect-IscsiTarget was asked for, turned into a host, port, target and engine options by <see cref="Build"/>.
/// Either <see cref="Uri"/> (libiscsi's iscsi://[user%secret@]host[:port]/iqn form) or NodeAddress +
/// TargetPortalAddress names the target; the explicit digest and initiator parameters win over the URL's.
/// </summary>
public sealed class ConnectRequest
{
    public string? NodeAddress { get; set; }
    public string? TargetPortalAddress { get; set; }
    public int? TargetPortalPortNumber { get; set; }
    /// <summary>Null: None, or OneWayChap / MutualChap inferred from the credentials given.</summary>
    public IscsiAuthenticationType? AuthenticationType { get; set; }
    public ChapCredential? Credential { get; set; }
    public ChapCredential? TargetCredential { get; set; }
    public bool? HeaderDigest { get; set; }
    public bool? DataDigest { get; set; }
    public string? InitiatorName { get; set; }
    public string? Uri { get; set; }
    /// <summary>Logins to try after a lost connection (0: never); null keeps the engine default (5).</summary>
    public int? ReconnectAttempts { get; set; }
    /// <summary>How long one outage may last, in seconds; null: DefaultTime2Wait + DefaultTime2Retain.</summary>
    public int? ReconnectTimeoutSec { get; set; }
    /// <summary>How long the TCP connect and the login exchange may each take, in seconds; null: the engine defaults
    /// (10 s to connect, 15 s to log in).</summary>
    public int? LoginTimeoutSec { get; set; }
    /// <summary>CHAP digests to offer, strongest first; null: every one the platform has (leave MD5 out to refuse it).</summary>
    public IReadOnlyList<Iscsi.Login.ChapAlgorithm>? ChapAlgorithms { get; set; }
    /// <summary>Seconds of silence before a keepalive NOP-Out (0: off); null: the engine default (5 s).</summary>
    public int? KeepaliveIntervalSec { get; set; }
    /// <summary>Other portals of the target ("host[:port][,tpgt]") to fail over to after a lost connection.</summary>
    public IReadOnlyList<string>? AlternatePortals { get; set; }
    /// <summary>Log in again even when the cache has a connected session to the same target and portal.</summary>
    public bool New { get; set; }
    /// <summary>Starting values (timeouts, burst sizes); null uses the engine defaults.</summary>
    public IscsiSessionOptions? Template { get; set; }

    /// <summary>What the error records of this request name as their target object (PowerShell shows it in
    /// CategoryInfo and the transcript): the URL with its secrets hidden, however mistyped, or the node address.</summary>
    public string ErrorTarget => Uri is not null ? IscsiUrl.Redact(Uri) : TextSafety.Printable(NodeAddress);

    /// <summary>Checks the combination and returns what to connect to. Every refusal is an IscsiArgumentException naming the value.</summary>
    public ConnectPlan Build()
    {
        string? host = TargetPortalAddress, node = NodeAddress;
        int port = TargetPortalPortNumber ?? PortalAddress.DefaultPort;
        var options = (Template ?? new IscsiSessionOptions()).Clone();
        ChapCredential? chap = Credential, targetChap = TargetCredential;

        if (Uri is not null)
        {
            var url = IscsiUrl.Parse(Uri);
            if (url.TargetName is null)
                throw new IscsiArgumentException("UriTargetMissing",
                    $"The URL '{IscsiUrl.Redact(Uri)}' names no target: use iscsi://host[:port]/target-iqn.");
            if (node is not null && !string.Equals(node, url.TargetName, StringComparison.OrdinalIgnoreCase))
                throw new IscsiArgumentException("UriConflict",
                    $"-NodeAddress '{node}' differs from the URL's target '{url.TargetName}'.");
            if (host is not null && !string.Equals(host, url.Host, StringComparison.OrdinalIgnoreCase))
                throw new IscsiArgumentException("UriConflict",
                    $"-TargetPortalAddress '{host}' differs from the URL's host '{url.Host}'.");
            host = url.Host;
            node = url.TargetName;
            port = TargetPortalPortNumber ?? url.Port;
            options = url.ToOptions(options);
            chap ??= url.Chap;
            targetChap ??= url.TargetChap;
        }

        if (string.IsNullOrWhiteSpace(node))
            throw new IscsiArgumentException("NodeAddressMissing", "No target given: use -NodeAddress (or -Uri iscsi://host/target-iqn).");
        if (!Iscsi.Login.InitiatorNames.IsValidTargetName(node))
            throw new IscsiArgumentException("TargetNameInvalid",
                $"'{TextSafety.Printable(node)}' is not a valid iSCSI target name (iqn.yyyy-mm.reversed.domain[:name], eui.<16 hex> or naa.<16 or 32 hex>). Get-IscsiTarget lists the names the portal offers.");
        if (string.IsNullOrWhiteSpace(host))
            throw new IscsiArgumentException("TargetPortalAddressMissing",
                $"No portal given for target '{node}': use -TargetPortalAddress (or -Uri).");
        if (port is < 1 or > 65535)
            throw new IscsiArgumentException("PortOutOfRange", $"Port {port} is outside 1..65535.");
        if (InitiatorName is not null && !Iscsi.Login.InitiatorNames.IsValidName(InitiatorName))
            throw new IscsiArgumentException("InitiatorNameInvalid",
                $"'{InitiatorName}' is not a valid iSCSI name (iqn.yyyy-mm.reversed.domain[:id], eui.<16 hex> or naa.<hex>).");

        var auth = ResolveAuthentication(AuthenticationType, chap, targetChap, node);
        options.Chap = auth == IscsiAuthenticationType.None ? null : chap;
        options.TargetChap = auth == IscsiAuthenticationType.MutualChap ? targetChap : null;
        if (HeaderDigest is { } h) options.HeaderDigest = h;
        if (DataDigest is { } d) options.DataDigest = d;
        if (InitiatorName is not null) options.InitiatorName = InitiatorName;
        if (ReconnectAttempts is { } attempts)
        {
            if (attempts < 0)
                throw new IscsiArgumentException("ReconnectAttemptsInvalid", $"-ReconnectAttempts {attempts} is negative; use 0 to never reconnect.");
            options.ReconnectAttempts = attempts;
        }
        if (LoginTimeoutSec is { } loginSeconds)
        {
            if (loginSeconds < 1)
                throw new IscsiArgumentException("LoginTimeoutInvalid", $"-LoginTimeoutSec {loginSeconds} is not a positive number of seconds.");
            options.LoginTimeout = TimeSpan.FromSeconds(loginSeconds);
            if (options.ConnectTimeout > options.LoginTimeout) options.ConnectTimeout = options.LoginTimeout;
        }
        if (ChapAlgorithms is { } algorithms)
        {
            if (algorithms.Count == 0)
                throw new IscsiArgumentException("ChapAlgorithmsEmpty", "-ChapAlgorithm names no CHAP algorithm; give at least one (Sha3_256, Sha256, Sha1, Md5).");
            options.ChapAlgorithms = algorithms.Distinct().ToArray();
        }
        if (KeepaliveIntervalSec is { } keepalive)
        {
            if (keepalive < 0)
                throw new IscsiArgumentException("KeepaliveInvalid", $"-KeepaliveIntervalSec {keepalive} is negative; use 0 to turn keepalives off.");
            options.KeepaliveInterval = TimeSpan.FromSeconds(keepalive);
        }
        if (AlternatePortals is { Count: > 0 } portals)
            options.AlternatePortals = portals.Where(p => !string.IsNullOrWhiteSpace(p))
                .Select(p => PortalAddress.ParseGiven(p)).ToArray();
        if (ReconnectTimeoutSec is { } seconds)
        {
            if (seconds < 1)
                throw new IscsiArgumentException("ReconnectTimeoutInvalid", $"-ReconnectTimeoutSec {seconds} is not a positive number of seconds.");
            options.ReconnectTimeout = TimeSpan.FromSeconds(seconds);
        }

        return new ConnectPlan(host, port, node, options, auth, New);
    }

    /// <summary>The Windows module's rules: OneWayChap needs -Credential; MutualChap needs both; None takes neither.
    /// Without -AuthenticationType the credentials given decide.</summary>
    internal static IscsiAuthenticationType ResolveAuthentication(IscsiAuthenticationType? requested,
        ChapCredential? chap, ChapCredential? targetChap, string node)
    {
        switch (requested)
        {
            case null:
                if (targetChap is not null && chap is null)
                    throw new IscsiArgumentException("CredentialRequired",
                        $"A -TargetCredential for '{node}' (mutual CHAP) needs the initiator's -Credential too.");
                return targetChap is not null ? IscsiAuthenticationType.MutualChap
                    : chap is not null ? IscsiAuthenticationType.OneWayChap : IscsiAuthenticationType.None;
            case IscsiAuthenticationType.None:
                if (chap is not null || targetChap is not null)
                    throw new IscsiArgumentException("AuthenticationTypeConflict",
                        $"-AuthenticationType None was given for '{node}' together with a CHAP credential; use OneWayChap or MutualChap, or drop the credential.");
                return IscsiAuthenticationType.None;
            case IscsiAuthenticationType.OneWayChap:
                if (chap is null)
                    throw new IscsiArgumentException("CredentialRequired", $"-AuthenticationType OneWayChap for '{node}' needs -Credential (CHAP user and secret).");
                if (targetChap is not null)
                    throw new IscsiArgumentException("AuthenticationTypeConflict",
                        $"-TargetCredential was given for '{node}' but -AuthenticationType is OneWayChap; use MutualChap.");
                return IscsiAuthenticationType.OneWayChap;
            case IscsiAuthenticationType.MutualChap:
                if (chap is null)
                    throw new IscsiArgumentException("CredentialRequired", $"-AuthenticationType MutualChap for '{node}' needs -Credential (the initiator's CHAP user and secret).");
                if (targetChap is null)
                    throw new IscsiArgumentException("TargetCredentialRequired", $"-AuthenticationType MutualChap for '{node}' needs -TargetCredential (the name and secret the target answers with).");
                return IscsiAuthenticationType.MutualChap;
            default:
                throw new IscsiArgumentException("AuthenticationTypeInvalid", $"AuthenticationType {requested} is not None, OneWayChap or MutualChap.");
        }
    }
}
