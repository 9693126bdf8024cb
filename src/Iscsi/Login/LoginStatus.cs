namespace Iscsi.Login;

/// <summary>Plain-language text for the Status-Class/Status-Detail pair of a Login Response
/// (RFC 7143 11.13.5), so that a refused login says what went wrong instead of two bytes.</summary>
public static class LoginStatus
{
    public const byte ClassSuccess = 0x00;
    public const byte ClassRedirection = 0x01;
    public const byte ClassInitiatorError = 0x02;
    public const byte ClassTargetError = 0x03;

    public const byte DetailMovedTemporarily = 0x01;
    public const byte DetailMovedPermanently = 0x02;
    public const byte DetailAuthenticationFailure = 0x01;
    public const byte DetailAuthorizationFailure = 0x02;
    public const byte DetailNotFound = 0x03;

    /// <summary>"0xCCDD Name: meaning", e.g. "0x0203 Target not found: the requested target name does not exist at this address".</summary>
    public static string Describe(byte statusClass, byte statusDetail)
    {
        var (name, meaning) = Lookup(statusClass, statusDetail);
        return $"{Code(statusClass, statusDetail)} {name}: {meaning}";
    }

    /// <summary>The short name of a status, e.g. "Authentication failure".</summary>
    public static string Name(byte statusClass, byte statusDetail) => Lookup(statusClass, statusDetail).Name;

    /// <summary>What a status means, e.g. "the requested target name does not exist at this address".</summary>
    internal static string Meaning(byte statusClass, byte statusDetail) => Lookup(statusClass, statusDetail).Meaning;

    /// <summary>"0xCCDD", the way targets' logs and the RFC table write a status.</summary>
    public static string Code(byte statusClass, byte statusDetail) => $"0x{statusClass:X2}{statusDetail:X2}";

    private static (string Name, string Meaning) Lookup(byte statusClass, byte statusDetail) => (statusClass, statusDetail) switch
    {
        (0x00, 0x00) => ("Success", "the login is proceeding normally"),

        (0x01, 0x01) => ("Target moved temporarily", "the target is, for now, reachable at another address, given in TargetAddress; log in there"),
        (0x01, 0x02) => ("Target moved permanently", "the target is now at another address, given in TargetAddress; log in there from now on"),

        (0x02, 0x00) => ("Initiator error", "the target found an unspecified error in the initiator's request"),
        (0x02, 0x01) => ("Authentication failure", "the initiator could not be authenticated, or the target does not support the authentication asked for"),
        (0x02, 0x02) => ("Authorization failure", "the initiator is not allowed to access this target"),
        (0x02, 0x03) => ("Target not found", "the requested target name does not exist at this address"),
        (0x02, 0x04) => ("Target removed", "the requested target has been removed and no new address is known"),
        (0x02, 0x05) => ("Unsupported version", "the target does not support the iSCSI version range the initiator asked for"),
        (0x02, 0x06) => ("Too many connections", "the session already has as many connections as the target accepts"),
        (0x02, 0x07) => ("Missing parameter", "a key the target requires was not sent"),
        (0x02, 0x08) => ("Can't include in session", "the target does not allow this connection to join the session"),
        (0x02, 0x09) => ("Session type not supported", "the target does not support this session type, or not for this initiator"),
        (0x02, 0x0A) => ("Session does not exist", "the connection tried to join a session (TSIH) the target does not know"),
        (0x02, 0x0B) => ("Invalid during login", "the target received a request that is not allowed during login"),

        (0x03, 0x00) => ("Target error", "the target hit an unspecified hardware or software error"),
        (0x03, 0x01) => ("Service unavailable", "the iSCSI service or the target is not currently operational"),
        (0x03, 0x02) => ("Out of resources", "the target lacks the session, connection or other resources for this login"),

        (0x00, _) => ("Unknown success detail", $"status class 0x00 (success) with undefined detail 0x{statusDetail:X2}"),
        (0x01, _) => ("Unknown redirection", $"status class 0x01 (redirection) with undefined detail 0x{statusDetail:X2}"),
        (0x02, _) => ("Unknown initiator error", $"status class 0x02 (initiator error) with undefined detail 0x{statusDetail:X2}"),
        (0x03, _) => ("Unknown target error", $"status class 0x03 (target error) with undefined detail 0x{statusDetail:X2}"),
        _ => ("Unknown status", $"status class 0x{statusClass:X2} is not defined by RFC 7143 (detail 0x{statusDetail:X2})"),
    };
}
