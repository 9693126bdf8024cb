using Iscsi;
using Iscsi.Scsi;
using Iscsi.Session;

namespace IscsiCli;

/// <summary>Exit codes a script can rely on. Each failure also prints one line on stderr:
/// "iscsi: error <ErrorId>: <message>".</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Command line could not be parsed (System.CommandLine's own code).</summary>
    public const int Usage = 1;
    /// <summary>A value given was invalid (URL, LBA past capacity, length not a block multiple...).</summary>
    public const int InvalidArgument = 2;
    /// <summary>The portal could not be reached or the connection broke.</summary>
    public const int ConnectionFailed = 3;
    /// <summary>The target refused the login, or authentication failed either way.</summary>
    public const int LoginFailed = 4;
    /// <summary>A SCSI command ended with a non-GOOD status (sense printed).</summary>
    public const int ScsiError = 5;
    /// <summary>The target did not answer in time.</summary>
    public const int Timeout = 6;
    /// <summary>The target broke the protocol.</summary>
    public const int ProtocolError = 7;
    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
    /// <summary>A local file could not be read or written.</summary>
    public const int FileError = 8;

    public static int For(Exception error) => error switch
    {
        // A transfer cut short exits as its cause would (the message adds how far it got).
        BlockTransferFailedException { InnerException: { } cause } => For(cause),
        BlockTransferStoppedException => Cancelled,
        IscsiArgumentException => InvalidArgument,
        IscsiLoginException or IscsiAuthenticationException or IscsiNegotiationException => LoginFailed,
        IscsiConnectionException => ConnectionFailed,
        IscsiTimeoutException => Timeout,
        ScsiCommandException or LogicalUnitChangedException => ScsiError,
        IscsiProtocolException => ProtocolError,
        OperationCanceledException => Cancelled,
        IOException or UnauthorizedAccessException => FileError,
        _ => ProtocolError,
    };

    public static string ErrorId(Exception error) => error switch
    {
        IscsiException ie => ie.ErrorId,
        ScsiCommandAbortedException a => a.ErrorId,
        OperationCanceledException => "Cancelled",
        IOException or UnauthorizedAccessException => "FileError",
        _ => error.GetType().Name,
    };
}
