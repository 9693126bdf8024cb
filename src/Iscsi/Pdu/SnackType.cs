namespace Iscsi.Pdu;

/// <summary>SNACK Request types (RFC 7143 11.16.1).</summary>
public enum SnackType : byte
{
    DataOrR2T = 0,
    Status = 1,
    DataAck = 2,
    RData = 3,
}
