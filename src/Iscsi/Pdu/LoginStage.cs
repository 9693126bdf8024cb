namespace Iscsi.Pdu;

/// <summary>CSG/NSG values of Login Request and Response (RFC 7143 11.12.3); 2 is reserved.</summary>
public enum LoginStage : byte
{
    SecurityNegotiation = 0,
    LoginOperationalNegotiation = 1,
    FullFeaturePhase = 3,
}
