namespace IscsiModule;

/// <summary>How a session authenticates, named as in the Windows iSCSI module's -AuthenticationType.</summary>
public enum IscsiAuthenticationType
{
    None,
    /// <summary>The target checks the initiator (CHAP).</summary>
    OneWayChap,
    /// <summary>The target checks the initiator and the initiator checks the target.</summary>
    MutualChap,
}
