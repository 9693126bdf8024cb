using Iscsi;

namespace IscsiModule;

/// <summary>A remembered discovery portal (New-IscsiTargetPortal). The CHAP secret stays inside; only the
/// user name is shown.</summary>
public sealed class IscsiTargetPortal
{
    internal IscsiTargetPortal(string address, int port, ChapCredential? credential, string? initiatorName)
    {
        TargetPortalAddress = address;
        TargetPortalPortNumber = port;
        Credential = credential;
        InitiatorName = initiatorName;
    }

    public string TargetPortalAddress { get; }
    public int TargetPortalPortNumber { get; }
    public string? InitiatorName { get; }
    public string? ChapUserName => Credential?.UserName;
    public IscsiAuthenticationType AuthenticationType => Credential is null ? IscsiAuthenticationType.None : IscsiAuthenticationType.OneWayChap;

    internal ChapCredential? Credential { get; }

    public override string ToString() => TargetPortalAddress.Contains(':')
        ? $"[{TargetPortalAddress}]:{TargetPortalPortNumber}"
        : $"{TargetPortalAddress}:{TargetPortalPortNumber}";
}
