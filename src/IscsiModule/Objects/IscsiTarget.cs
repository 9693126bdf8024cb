using Iscsi.Discovery;

namespace IscsiModule;

/// <summary>One target found by SendTargets discovery. The engine's DiscoveredTarget does not say which
/// portal to use or whether we are connected, and those are what Connect-IscsiTarget binds by
/// property name, so the module has its own object.</summary>
public sealed class IscsiTarget
{
    internal IscsiTarget(string nodeAddress, TargetPortal portal, IReadOnlyList<TargetPortal> portals, bool isConnected,
        (string Address, int Port) discoveredThrough)
    {
        DiscoveredThrough = discoveredThrough;
        NodeAddress = nodeAddress;
        TargetPortalAddress = portal.Address;
        TargetPortalPortNumber = portal.Port;
        PortalGroupTag = portal.PortalGroupTag;
        Portals = portals;
        IsConnected = isConnected;
    }

    public string NodeAddress { get; }
    /// <summary>The first portal the target listed (the one Connect-IscsiTarget uses when piped).</summary>
    public string TargetPortalAddress { get; }
    public int TargetPortalPortNumber { get; }
    public ushort PortalGroupTag { get; }
    public IReadOnlyList<TargetPortal> Portals { get; }
    /// <summary>Whether the session cache held a connected session to this target when it was discovered.</summary>
    public bool IsConnected { get; }

    /// <summary>The portal the SendTargets discovery that found it went through.</summary>
    internal (string Address, int Port) DiscoveredThrough { get; }

    public override string ToString() => NodeAddress;
}
