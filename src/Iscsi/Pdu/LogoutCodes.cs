namespace Iscsi.Pdu;

/// <summary>Logout Request reason codes (RFC 7143 11.14.1).</summary>
public enum LogoutReason : byte
{
    CloseSession = 0,
    CloseConnection = 1,
    RemoveConnectionForRecovery = 2,
}

/// <summary>Logout Response codes (RFC 7143 11.15.1).</summary>
public enum LogoutResponseCode : byte
{
    ClosedSuccessfully = 0,
    CidNotFound = 1,
    ConnectionRecoveryNotSupported = 2,
    CleanupFailed = 3,
}
