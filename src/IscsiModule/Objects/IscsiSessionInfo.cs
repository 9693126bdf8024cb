using System.Globalization;
using Iscsi;
using Iscsi.Session;

namespace IscsiModule;

/// <summary>A session in the module's cache: the engine session plus what the module knows about it
/// (its identifier, how it authenticated, when it was made). The live values (IsConnected, State, Tsih, IsIdle,
/// InFlightCount, Statistics) are read from the engine each time they are asked for; SessionIdentifier keeps the
/// TSIH of the first login (a reconnect gets a new TSIH but stays the same session to the module).</summary>
public sealed class IscsiSessionInfo
{
    internal IscsiSessionInfo(IscsiSession session, IscsiAuthenticationType authenticationType, DateTimeOffset connectedAt)
    {
        Session = session;
        AuthenticationType = authenticationType;
        ConnectedAt = connectedAt;
        SessionIdentifier = MakeIdentifier(session.Isid, session.Tsih);
    }

    /// <summary>"&lt;ISID as 12 hex digits&gt;-&lt;TSIH as 4 hex digits&gt;": the pair that names a session
    /// on the wire (RFC 7143 section 4.4), so that it can be matched against the target's own logs.</summary>
    public string SessionIdentifier { get; }
    public string NodeAddress => Session.TargetName;
    public string InitiatorNodeAddress => Session.InitiatorName;
    public string TargetPortalAddress => Session.TargetHost;
    public int TargetPortalPortNumber => Session.TargetPort;
    public string Isid => Session.Isid.ToString("x12", CultureInfo.InvariantCulture);
    public ushort Tsih => Session.Tsih;
    public IscsiAuthenticationType AuthenticationType { get; }
    public bool IsHeaderDigest => Session.Negotiated.HeaderDigest;
    public bool IsDataDigest => Session.Negotiated.DataDigest;
    public NegotiatedParameters Negotiated => Session.Negotiated;
    public bool IsConnected => Session.IsConnected;
    /// <summary>LoggedIn, Reconnecting (the connection was lost; commands wait) or Closed.</summary>
    public SessionState State => Session.State;
    public bool IsIdle => Session.IsIdle;
    public int InFlightCount => Session.InFlightCount;
    public IscsiSessionStatistics Statistics => Session.Statistics;
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The engine session, for scripts that want to call the engine directly.</summary>
    public IscsiSession Session { get; }

    /// <summary>The LUNs the target reported the last time the module asked (Get-IscsiLun, -Lun completion).</summary>
    internal IReadOnlyList<int>? KnownLuns { get; set; }

    internal static string MakeIdentifier(ulong isid, ushort tsih)
        => string.Create(CultureInfo.InvariantCulture, $"{isid & 0xFFFF_FFFF_FFFFUL:x12}-{tsih:x4}");

    public override string ToString() => $"{SessionIdentifier} {NodeAddress}";
}
