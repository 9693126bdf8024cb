namespace Iscsi.Discovery;

/// <summary>One portal of a target: address, port and target portal group tag.</summary>
public sealed record TargetPortal(string Address, int Port, ushort PortalGroupTag)
{
    public override string ToString() => Address.Contains(':') ? $"[{Address}]:{Port},{PortalGroupTag}" : $"{Address}:{Port},{PortalGroupTag}";
}

/// <summary>A target found by SendTargets discovery.</summary>
public sealed class DiscoveredTarget
{
    public required string NodeAddress { get; init; }
    public required IReadOnlyList<TargetPortal> Portals { get; init; }
    public override string ToString() => NodeAddress;
}
