namespace Iscsi.Discovery;

// CONTRACT STUB: the session work replaces the body.
public static class SendTargetsDiscovery
{
    /// <summary>Logs in a discovery session, asks SendTargets=All, logs out. Portals without an
    /// address in the answer get the portal that was asked.</summary>
    public static Task<IReadOnlyList<DiscoveredTarget>> DiscoverAsync(string host, int port,
        IscsiSessionOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
