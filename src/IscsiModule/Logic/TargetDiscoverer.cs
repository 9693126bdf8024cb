using Iscsi;
using Iscsi.Discovery;

namespace IscsiModule.Logic;

/// <summary>Get-IscsiTarget and New-IscsiTargetPortal behind the cmdlets: SendTargets through one portal or every remembered one.</summary>
public static class TargetDiscoverer
{
    /// <summary>Discovers through <paramref name="address"/>, or, when it is null, through every portal in the cache
    /// (<c>NoTargetPortal</c> when there is none). A credential given here wins over the remembered portal's.</summary>
    public static async Task<IReadOnlyList<IscsiTarget>> DiscoverAsync(SessionCache cache, string? address, int? port,
        ChapCredential? credential, IscsiSessionOptions? template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        IReadOnlyList<IscsiTargetPortal> portals;
        if (address is not null)
        {
            int p = port ?? PortalAddress.DefaultPort;
            var remembered = cache.FindPortal(address, p);
            portals = [new IscsiTargetPortal(address, p, credential ?? remembered?.Credential, remembered?.InitiatorName)];
        }
        else
        {
            portals = cache.Portals;
            if (portals.Count == 0)
                throw new IscsiArgumentException("NoTargetPortal",
                    "No target portal given and none remembered: use -TargetPortalAddress, or New-IscsiTargetPortal first.");
        }

        var targets = new List<IscsiTarget>();
        foreach (var portal in portals)
        {
            var options = (template ?? new IscsiSessionOptions()).Clone();
            options.Chap = credential ?? portal.Credential;
            if (portal.InitiatorName is not null) options.InitiatorName = portal.InitiatorName;
            var found = await SendTargetsDiscovery.DiscoverAsync(portal.TargetPortalAddress, portal.TargetPortalPortNumber, options, cancellationToken)
                .ConfigureAwait(false);
            var through = (portal.TargetPortalAddress, portal.TargetPortalPortNumber);
            var fromThisPortal = found.Where(t => t.Portals.Count > 0) // Parse always gives one; guard against an empty list anyway
                .Select(t => new IscsiTarget(t.NodeAddress, t.Portals[0], t.Portals, cache.IsConnected(t.NodeAddress), through))
                .ToArray();
            cache.RememberDiscovered(through.TargetPortalAddress, through.TargetPortalPortNumber, fromThisPortal);
            targets.AddRange(fromThisPortal);
        }
        return targets;
    }

    /// <summary>Checks the portal answers a discovery login (with its credential) before remembering it, as
    /// the Windows New-IscsiTargetPortal does; returns it once remembered.</summary>
    public static async Task<IscsiTargetPortal> AddPortalAsync(SessionCache cache, string address, int? port,
        ChapCredential? credential, string? initiatorName, IscsiSessionOptions? template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (string.IsNullOrWhiteSpace(address))
            throw new IscsiArgumentException("TargetPortalAddressMissing", "The target portal address is empty.");
        int p = port ?? PortalAddress.DefaultPort;
        if (p is < 1 or > 65535)
            throw new IscsiArgumentException("PortOutOfRange", $"Port {p} is outside 1..65535.");
        var portal = new IscsiTargetPortal(address, p, credential, initiatorName);
        var options = (template ?? new IscsiSessionOptions()).Clone();
        options.Chap = credential;
        if (initiatorName is not null) options.InitiatorName = initiatorName;
        await SendTargetsDiscovery.DiscoverAsync(address, p, options, cancellationToken).ConfigureAwait(false);
        cache.AddPortal(portal);
        return portal;
    }
}
