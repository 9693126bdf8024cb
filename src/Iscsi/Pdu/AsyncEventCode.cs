namespace Iscsi.Pdu;

/// <summary>AsyncEvent values of the Asynchronous Message PDU (RFC 7143 11.9.1).</summary>
public enum AsyncEventCode : byte
{
    /// <summary>A SCSI asynchronous event; the sense data is in the data segment.</summary>
    ScsiAsyncEvent = 0,
    /// <summary>The target asks us to log out; Parameter3 is the time (seconds) before it forces one.</summary>
    LogoutRequest = 1,
    /// <summary>The target will drop this connection; Parameter1 names the CID, 2/3 are Time2Wait/Time2Retain.</summary>
    DropConnection = 2,
    /// <summary>The target will drop all connections of the session; Parameter2/3 are Time2Wait/Time2Retain.</summary>
    DropAllConnections = 3,
    /// <summary>The target asks for a new text negotiation (Text Request).</summary>
    RequestTextNegotiation = 4,
    VendorSpecific = 0xff,
}
