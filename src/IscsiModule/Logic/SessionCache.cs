using Iscsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>
/// The module's sessions and remembered portals. One <see cref="Shared"/> instance per process (a static,
/// so every runspace - ForEach-Object -Parallel, thread jobs - sees the same sessions); tests make their own.
/// Every member is thread-safe: one lock guards both lists, and nothing slow (I/O) happens under it.
/// </summary>
public sealed class SessionCache
{
    private readonly object _gate = new();
    private readonly List<IscsiSessionInfo> _sessions = [];
    private readonly List<IscsiTargetPortal> _portals = [];
    // What the last discoveries found, for tab completion; the newest discovery through a portal replaces the last one.
    private readonly List<IscsiTarget> _discovered = [];
    private const int MaxDiscovered = 1024;

    public static SessionCache Shared { get; } = new();

    public IReadOnlyList<IscsiSessionInfo> Sessions
    {
        get { lock (_gate) return _sessions.ToArray(); }
    }

    public int Count
    {
        get { lock (_gate) return _sessions.Count; }
    }

    /// <summary>Wraps a freshly logged-in session and remembers it.</summary>
    public IscsiSessionInfo Add(IscsiSession session, IscsiAuthenticationType authenticationType)
    {
        ArgumentNullException.ThrowIfNull(session);
        var info = new IscsiSessionInfo(session, authenticationType, DateTimeOffset.Now);
        lock (_gate)
        {
            if (_sessions.Exists(s => ReferenceEquals(s.Session, session)))
                throw new IscsiArgumentException("SessionAlreadyCached", $"Session {info.SessionIdentifier} is already in the cache.");
            _sessions.Add(info);
        }
        return info;
    }

    /// <summary>The session with this identifier; <c>SessionNotFound</c> naming it otherwise.</summary>
    public IscsiSessionInfo Get(string sessionIdentifier)
    {
        if (string.IsNullOrWhiteSpace(sessionIdentifier))
            throw new IscsiArgumentException("SessionIdentifierEmpty", "The session identifier is empty.");
        return TryGet(sessionIdentifier) ?? throw new IscsiArgumentException("SessionNotFound",
            $"No session '{sessionIdentifier}' is in the session cache. Get-IscsiSession lists the sessions there are.");
    }

    public IscsiSessionInfo? TryGet(string sessionIdentifier)
    {
        lock (_gate)
            return _sessions.Find(s => string.Equals(s.SessionIdentifier, sessionIdentifier, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every cached session to this target (any portal); <c>SessionNotFound</c> when there is none.</summary>
    public IReadOnlyList<IscsiSessionInfo> GetByNodeAddress(string nodeAddress)
    {
        IscsiSessionInfo[] found;
        lock (_gate)
            found = _sessions.Where(s => string.Equals(s.NodeAddress, nodeAddress, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (found.Length == 0)
            throw new IscsiArgumentException("SessionNotFound", $"No session to target '{nodeAddress}' is in the session cache.");
        return found;
    }

    /// <summary>A live session (logged in, or reconnecting) to this target through this portal that <paramref name="fits"/>
    /// what is asked, to hand out again instead of logging in twice.</summary>
    public IscsiSessionInfo? FindReusable(string host, int port, string nodeAddress, Func<IscsiSessionInfo, bool> fits)
    {
        ArgumentNullException.ThrowIfNull(fits);
        lock (_gate)
            return _sessions.Find(s => s.State != Iscsi.Session.SessionState.Closed
                && s.TargetPortalPortNumber == port
                && string.Equals(s.TargetPortalAddress, host, StringComparison.OrdinalIgnoreCase)
                && string.Equals(s.NodeAddress, nodeAddress, StringComparison.OrdinalIgnoreCase)
                && fits(s));
    }

    /// <summary>The targets the latest discoveries found (for tab completion).</summary>
    public IReadOnlyList<IscsiTarget> DiscoveredTargets
    {
        get { lock (_gate) return _discovered.ToArray(); }
    }

    /// <summary>Remembers what a discovery through one portal found, replacing what the last one through it found.</summary>
    public void RememberDiscovered(string portalAddress, int portalPort, IEnumerable<IscsiTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        lock (_gate)
        {
            _discovered.RemoveAll(t => t.DiscoveredThrough == (portalAddress, portalPort));
            _discovered.AddRange(targets);
            if (_discovered.Count > MaxDiscovered) _discovered.RemoveRange(0, _discovered.Count - MaxDiscovered);
        }
    }

    public bool IsConnected(string nodeAddress)
    {
        lock (_gate)
            return _sessions.Exists(s => s.State != Iscsi.Session.SessionState.Closed && string.Equals(s.NodeAddress, nodeAddress, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Forgets a session (the caller logs it out). False when it was not cached.</summary>
    public bool Remove(IscsiSessionInfo session)
    {
        lock (_gate) return _sessions.Remove(session);
    }

    /// <summary>Empties the cache and returns what it held, for whoever logs them out.</summary>
    public IReadOnlyList<IscsiSessionInfo> TakeAll()
    {
        lock (_gate)
        {
            var all = _sessions.ToArray();
            _sessions.Clear();
            return all;
        }
    }

    public IReadOnlyList<IscsiTargetPortal> Portals
    {
        get { lock (_gate) return _portals.ToArray(); }
    }

    /// <summary>Remembers a portal; one with the same address and port is replaced (new credential, say).</summary>
    public void AddPortal(IscsiTargetPortal portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        lock (_gate)
        {
            _portals.RemoveAll(p => SamePortal(p, portal.TargetPortalAddress, portal.TargetPortalPortNumber));
            _portals.Add(portal);
        }
    }

    public IscsiTargetPortal? FindPortal(string address, int port)
    {
        lock (_gate) return _portals.Find(p => SamePortal(p, address, port));
    }

    /// <summary>Forgets a portal; <c>PortalNotFound</c> naming it when it was not remembered.</summary>
    public IscsiTargetPortal RemovePortal(string address, int port)
    {
        lock (_gate)
        {
            var portal = _portals.Find(p => SamePortal(p, address, port)) ?? throw new IscsiArgumentException("PortalNotFound",
                $"No target portal {address}:{port} is remembered. Get-IscsiTargetPortal lists the portals there are.");
            _portals.Remove(portal);
            return portal;
        }
    }

    private static bool SamePortal(IscsiTargetPortal p, string address, int port)
        => p.TargetPortalPortNumber == port && string.Equals(p.TargetPortalAddress, address, StringComparison.OrdinalIgnoreCase);

    /// <summary>The session, checked to be usable for commands: <c>SessionClosed</c> otherwise. A session that is
    /// reconnecting is usable: its commands wait for the new connection.</summary>
    public static IscsiSessionInfo RequireConnected(IscsiSessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.State == Iscsi.Session.SessionState.Closed)
        {
            string why = session.Session.Failure is { } f ? $": {f.Message}" : "";
            throw new IscsiArgumentException("SessionClosed",
                $"Session {session.SessionIdentifier} to {session.NodeAddress} is closed{why}. Connect-IscsiTarget makes a new one.");
        }
        return session;
    }
}
