namespace Iscsi.Pdu;

/// <summary>AHSType values (RFC 7143 11.2.2.3); 60-63 are for non-iSCSI extensions, the rest reserved.</summary>
public enum AhsType : byte
{
    Reserved = 0,
    ExtendedCdb = 1,
    BidirectionalReadDataLength = 2,
}
