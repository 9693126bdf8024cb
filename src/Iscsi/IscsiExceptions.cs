using Iscsi.Scsi;

namespace Iscsi;

/// <summary>Base of every error the engine raises. Messages name the offending value and never a secret.</summary>
public abstract class IscsiException : Exception
{
    protected IscsiException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>A stable identifier a script (or the PowerShell module) can switch on, e.g. "LoginFailed".</summary>
    public abstract string ErrorId { get; }
}

/// <summary>The target answered a Login Request with a non-success status (RFC 7143 11.13.5).</summary>
public sealed class IscsiLoginException : IscsiException
{
    public IscsiLoginException(byte statusClass, byte statusDetail, string message)
        : base(message)
    {
        StatusClass = statusClass;
        StatusDetail = statusDetail;
    }

    public byte StatusClass { get; }
    public byte StatusDetail { get; }
    public override string ErrorId => $"LoginFailed.{StatusClass:X2}{StatusDetail:X2}";
}

/// <summary>Authentication failed on our side: the target failed mutual CHAP, reflected our challenge,
/// offered no acceptable algorithm, or asked for CHAP when no credential was given.</summary>
public sealed class IscsiAuthenticationException : IscsiException
{
    public IscsiAuthenticationException(string errorId, string message) : base(message) => ErrorId = errorId;
    public override string ErrorId { get; }
}

/// <summary>The target would not agree to something the caller required (header or data digests asked for and
/// not agreed). The login is ended before the session starts: nothing runs without what was asked for.</summary>
public sealed class IscsiNegotiationException : IscsiException
{
    public IscsiNegotiationException(string errorId, string key, string message) : base(message)
    {
        ErrorId = errorId;
        Key = key;
    }

    /// <summary>The login key that could not be agreed (e.g. HeaderDigest).</summary>
    public string Key { get; }
    public override string ErrorId { get; }
}

/// <summary>The peer broke the protocol: malformed or hostile PDU, unexpected opcode, bad text key.
/// The connection it arrived on is closed.</summary>
public sealed class IscsiProtocolException : IscsiException
{
    public IscsiProtocolException(string message, string errorId = "ProtocolError", Exception? inner = null)
        : base(message, inner) => ErrorId = errorId;
    public override string ErrorId { get; }

    /// <summary>The Initiator Task Tag of the PDU that broke the rules, when it carried one: the command whose own
    /// exchange was violated is failed with this error and never sent again.</summary>
    public uint? InitiatorTaskTag { get; init; }
}

/// <summary>The TCP connection could not be made, or broke.</summary>
public sealed class IscsiConnectionException : IscsiException
{
    public IscsiConnectionException(string message, string errorId = "ConnectionFailed", Exception? inner = null)
        : base(message, inner) => ErrorId = errorId;
    public override string ErrorId { get; }
}

/// <summary>The target did not answer within the allowed time.</summary>
public sealed class IscsiTimeoutException : IscsiException
{
    public IscsiTimeoutException(string message, TimeSpan timeout) : base(message) => Timeout = timeout;
    public TimeSpan Timeout { get; }
    public override string ErrorId => "Timeout";
}

/// <summary>A SCSI command completed with a status other than GOOD, or the target rejected it.
/// The result (status, decoded sense, residuals) travels with it.</summary>
public sealed class ScsiCommandException : IscsiException
{
    public ScsiCommandException(ScsiResult result, string message) : base(message) => Result = result;
    public ScsiResult Result { get; }
    public override string ErrorId => Result.Sense is { } s ? $"ScsiCheckCondition.{s.SenseKey}" : $"ScsiStatus.{Result.Status}";
}

/// <summary>A value given by the caller is out of range or malformed (LBA past capacity, length not a
/// multiple of the block size, closed session...).</summary>
public sealed class IscsiArgumentException : IscsiException
{
    public IscsiArgumentException(string errorId, string message) : base(message) => ErrorId = errorId;
    public override string ErrorId { get; }
}

/// <summary>After a reconnect, the LU at a LUN is not the one the session knew: its identifiers (VPD 83h designators,
/// VPD 80h serial), capacity or block size differ, or it is gone. Commands in flight to it were not sent again, and
/// the session takes no more commands for that LUN: writes meant for one disk must not land on another.</summary>
public sealed class LogicalUnitChangedException : IscsiException
{
    public LogicalUnitChangedException(int lun, string message) : base(message) => Lun = lun;
    public int Lun { get; }
    public override string ErrorId => "LogicalUnitChanged";
}
