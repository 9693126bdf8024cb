using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Connect-IscsiTarget: logs in to a target (or hands back the cached session to it unless -New).</summary>
[Cmdlet(VerbsCommunications.Connect, "IscsiTarget", DefaultParameterSetName = NodeAddressSet)]
[OutputType(typeof(IscsiSessionInfo))]
public sealed class ConnectIscsiTargetCommand : IscsiCmdlet
{
    private const string NodeAddressSet = "NodeAddress";
    private const string UriSet = "Uri";
    // How long a session that cannot be handed out (writing its login warnings failed) may take to log out.
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NodeAddressSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeAddressCompleter))]
    public string NodeAddress { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = NodeAddressSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string TargetPortalAddress { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int? TargetPortalPortNumber { get; set; }

    /// <summary>libiscsi's iscsi://[user%secret@]host[:port]/target-iqn[?target_user=..&amp;target_password=..] form. A secret in it is the caller's choice.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UriSet)]
    [ValidateNotNullOrEmpty]
    public string Uri { get; set; } = "";

    [Parameter]
    public IscsiAuthenticationType? AuthenticationType { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? TargetCredential { get; set; }

    [Parameter]
    public SwitchParameter IsHeaderDigest { get; set; }

    [Parameter]
    public SwitchParameter IsDataDigest { get; set; }

    [Parameter]
    public string? InitiatorName { get; set; }

    [Parameter]
    public SwitchParameter New { get; set; }

    /// <summary>How long the TCP connect and the login may each take.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int? LoginTimeoutSec { get; set; }

    /// <summary>At most this many logins per outage (default: as many as fit in -ReconnectTimeoutSec); 0 never reconnects.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int? ReconnectAttempts { get; set; }

    /// <summary>How long one outage may last before the session gives up (default 120 s).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int? ReconnectTimeoutSec { get; set; }

    /// <summary>Seconds of silence after which the connection is checked with a NOP-Out ping; 0 turns the check off.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int? KeepaliveIntervalSec { get; set; }

    /// <summary>CHAP digests to offer, strongest first (default: all; leave Md5 out to refuse it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Iscsi.Login.ChapAlgorithm[]? ChapAlgorithm { get; set; }

    /// <summary>Other portals of the target to fail over to; from Get-IscsiTarget, its Portals.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Portals")]
    public string[]? AlternatePortal { get; set; }

    protected override void ProcessRecord()
    {
        // Only a digest switch actually given overrides the URL's header_digest / data_digest.
        var request = new ConnectRequest
        {
            NodeAddress = ParameterSetName == NodeAddressSet ? NodeAddress : null,
            TargetPortalAddress = ParameterSetName == NodeAddressSet ? TargetPortalAddress : null,
            TargetPortalPortNumber = TargetPortalPortNumber,
            AuthenticationType = AuthenticationType,
            HeaderDigest = IsBound(nameof(IsHeaderDigest)) ? IsHeaderDigest.IsPresent : null,
            DataDigest = IsBound(nameof(IsDataDigest)) ? IsDataDigest.IsPresent : null,
            InitiatorName = InitiatorName,
            Uri = ParameterSetName == UriSet ? Uri : null,
            New = New.IsPresent,
            LoginTimeoutSec = LoginTimeoutSec,
            ReconnectAttempts = ReconnectAttempts,
            ReconnectTimeoutSec = ReconnectTimeoutSec,
            KeepaliveIntervalSec = KeepaliveIntervalSec,
            ChapAlgorithms = ChapAlgorithm,
            AlternatePortals = AlternatePortal,
        };
        string target = request.ErrorTarget;
        if (!TryDo(() =>
            {
                request.Credential = ToChap(Credential);
                request.TargetCredential = ToChap(TargetCredential);
                return request.Build();
            }, target, out var plan)) return;

        if (SessionConnector.FindReusable(Cache, plan) is { } cached)
        {
            WriteVerbose($"Reusing session {cached.SessionIdentifier} to {plan.NodeAddress} at {plan.Host}:{plan.Port} (-New logs in again).");
            WriteObject(cached);
            return;
        }
        WriteVerbose($"Connecting to {plan.NodeAddress} at {plan.Host}:{plan.Port} ({plan.AuthenticationType}).");
        // What the login says while it runs (MD5 chosen) is gathered and written with the rest, on this thread.
        var heard = new LoginWarningLog();
        plan.Options.LoginWarning = heard.Add;
        if (!TryRun(ct => SessionConnector.LoginAsync(plan, ct), target, out var session)) return;
        try
        {
            // Before the session is cached: when the user cannot be told (a warning preference that stops or asks
            // with no one to answer), the Connect fails and leaves no session behind.
            foreach (var warning in heard.TakeAll().Concat(session.Warnings)) WriteWarning(Iscsi.TextSafety.Printable(warning));
            foreach (var note in session.Notes) WriteVerbose(Iscsi.TextSafety.Printable(note));
        }
        catch
        {
            SessionConnector.Abandon(session, AbandonTimeout);
            throw;
        }
        WriteObject(Cache.Add(session, plan.AuthenticationType));
    }
}
