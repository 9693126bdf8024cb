namespace Iscsi.Pdu;

/// <summary>Human-readable text for Reject reason codes, for messages and logs.</summary>
public static class RejectReasons
{
    /// <summary>Describes any reason byte, including reserved and unknown ones (a Reject must never crash us).</summary>
    public static string Describe(byte reason) => reason switch
    {
        (byte)RejectReason.DataDigestError => "data (payload) digest error; the PDU may be resent",
        (byte)RejectReason.SnackReject => "SNACK rejected; the PDU may be resent",
        (byte)RejectReason.ProtocolError => "protocol error (for example a SNACK for a status already acknowledged)",
        (byte)RejectReason.CommandNotSupported => "command not supported",
        (byte)RejectReason.ImmediateCommandRejected => "immediate command rejected: too many immediate commands",
        (byte)RejectReason.TaskInProgress => "task in progress",
        (byte)RejectReason.InvalidDataAck => "invalid data acknowledgment",
        (byte)RejectReason.InvalidPduField => "invalid PDU field",
        (byte)RejectReason.LongOperationReject => "long operation reject: out of resources to generate a target transfer tag",
        (byte)RejectReason.NegotiationReset => "negotiation reset (deprecated)",
        (byte)RejectReason.WaitingForLogout => "waiting for logout",
        0x01 => "reserved reason 0x01",
        _ => $"unknown reason 0x{reason:X2}",
    };
}
