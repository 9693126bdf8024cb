using Iscsi.Discovery;
using Iscsi.Login;

namespace Iscsi.Session;

/*  The target's other portals, for failover. When a connection is lost, the reconnect tries the portal it was on
    first, then the portals the caller gave (IscsiSessionOptions.AlternatePortals: the module passes what discovery
    found) and, with LearnTargetPortals, the ones a SendTargets discovery through the session's portal reports after
    each login; those of the same portal group first. The discovery runs in a discovery session of its own: some
    targets (tgtd) reset a normal session's connection when it asks SendTargets.  */
public sealed partial class IscsiSession
{
    private volatile IReadOnlyList<TargetPortal> _learnedPortals = [];

    /// <summary>The portals the target reported for itself after the latest login (empty until it answered, or without
    /// <see cref="IscsiSessionOptions.LearnTargetPortals"/>).</summary>
    public IReadOnlyList<TargetPortal> LearnedPortals => _learnedPortals;

    /// <summary>Asks the portal for the target's portals; failures are ignored (failover then uses what the caller gave).</summary>
    private async Task LearnPortalsAsync(SessionConnection c)
    {
        if (!_options.LearnTargetPortals || SessionType != SessionType.Normal) return;
        try
        {
            using var bound = new CancellationTokenSource(_options.LoginTimeout);
            var discovery = _options.Clone();
            discovery.ReconnectAttempts = 0;
            discovery.KeepaliveInterval = TimeSpan.Zero;
            discovery.LearnTargetPortals = false;
            discovery.LoginWarning = null;
            discovery.TargetChap = null;
            var found = await SendTargetsDiscovery.DiscoverAsync(c.Transport.Host, c.Transport.Port, discovery, bound.Token).ConfigureAwait(false);
            var mine = found.Where(t => string.Equals(t.NodeAddress, TargetName, StringComparison.OrdinalIgnoreCase))
                .SelectMany(t => t.Portals).ToArray();
            if (mine.Length > 0) _learnedPortals = mine;
        }
        catch (Exception ex) when (ex is IscsiException or OperationCanceledException)
        {
            // A portal that will not say: the caller's AlternatePortals are all there is.
        }
    }
}
