using Iscsi;
using Iscsi.Scsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>The ONE place where an exception becomes an ErrorId, an ErrorCategory and a message. The engine's
/// messages never carry a secret, and nothing is added here that could. The message is what the console shows
/// (ErrorDetails): control characters a target slipped into it are escaped here, whatever raised it.</summary>
public static class ErrorMapper
{
    public static MappedError Map(Exception exception, object? targetObject = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
            exception = aggregate.InnerExceptions[0];
        string message = TextSafety.Printable(exception.Message);
        // The cause decides the id and the category; the wrapper only adds how far the transfer got.
        if (exception is BlockTransferFailedException failed)
            return Map(failed.InnerException!, targetObject) with { Message = message, Exception = failed };
        return exception switch
        {
            IscsiLoginException e => new(e.ErrorId, LoginCategory(e), message, targetObject, e),
            IscsiAuthenticationException e => new(e.ErrorId, ModuleErrorCategory.AuthenticationError, message, targetObject, e),
            IscsiNegotiationException e => new(e.ErrorId, ModuleErrorCategory.NotEnabled, message, targetObject, e),
            IscsiTimeoutException e => new(e.ErrorId, ModuleErrorCategory.OperationTimeout, message, targetObject, e),
            IscsiConnectionException e => new(e.ErrorId, ModuleErrorCategory.ConnectionError, message, targetObject, e),
            IscsiProtocolException e => new(e.ErrorId, ProtocolCategory(e), message, targetObject, e),
            LogicalUnitChangedException e => new(e.ErrorId, ModuleErrorCategory.DeviceError, message, targetObject, e),
            ScsiCommandException e => new(e.ErrorId, ScsiCategory(e.Result), message, targetObject ?? e.Result, e),
            IscsiArgumentException e => new(e.ErrorId, ArgumentCategory(e.ErrorId), message, targetObject, e),
            BlockVerifyException e => new(e.ErrorId, ModuleErrorCategory.WriteError, message, targetObject, e),
            BlockTransferStoppedException e => new(e.ErrorId, ModuleErrorCategory.OperationStopped, message, targetObject, e),
            TaskManagementException e => new(e.ErrorId, TaskManagementCategory(e.Result.Response), message, targetObject ?? e.Result, e),
            IscsiException e => new(e.ErrorId, ModuleErrorCategory.NotSpecified, message, targetObject, e),
            ScsiCommandAbortedException e => new(e.ErrorId, ModuleErrorCategory.OperationStopped, message, targetObject ?? e.PartialResult, e),
            OperationCanceledException e => new("OperationStopped", ModuleErrorCategory.OperationStopped, "The operation was stopped.", targetObject, e),
            FileNotFoundException or DirectoryNotFoundException => new("FileNotFound", ModuleErrorCategory.ObjectNotFound, message, targetObject, exception),
            UnauthorizedAccessException => new("FileAccessDenied", ModuleErrorCategory.PermissionDenied, message, targetObject, exception),
            IOException => new("FileIOFailed", ModuleErrorCategory.WriteError, message, targetObject, exception),
            _ => new("UnexpectedError", ModuleErrorCategory.NotSpecified, $"{exception.GetType().Name}: {message}", targetObject, exception),
        };
    }

    // RFC 7143 11.13.5: class 1 redirection, 2 initiator error (01 authentication, 02 authorization, 03 not found,
    // 04 target removed...), 3 target error (resources, service unavailable...).
    private static ModuleErrorCategory LoginCategory(IscsiLoginException e) => (e.StatusClass, e.StatusDetail) switch
    {
        (0x02, 0x01) => ModuleErrorCategory.AuthenticationError,
        (0x02, 0x02) => ModuleErrorCategory.PermissionDenied,
        (0x02, 0x03) or (0x02, 0x04) => ModuleErrorCategory.ObjectNotFound,
        (0x02, _) => ModuleErrorCategory.InvalidArgument,
        (0x03, _) => ModuleErrorCategory.ResourceUnavailable,
        _ => ModuleErrorCategory.ConnectionError,
    };

    private static ModuleErrorCategory ProtocolCategory(IscsiProtocolException e) => e.ErrorId switch
    {
        "ShortRead" => ModuleErrorCategory.ReadError,
        "ScsiDataMalformed" => ModuleErrorCategory.InvalidData,
        _ => ModuleErrorCategory.ProtocolError,
    };

    /// <summary>A write to a read-only unit (DATA PROTECT) is a WriteError; a medium error follows the command's direction.</summary>
    internal static ModuleErrorCategory ScsiCategory(ScsiResult result)
    {
        bool isWrite = result.Cdb.Length > 0 && CdbInfo.IsDataChanging(result.Cdb);
        if (result.Sense is { } sense)
        {
            return sense.SenseKey switch
            {
                SenseKey.DataProtect => ModuleErrorCategory.WriteError,
                SenseKey.MediumError or SenseKey.HardwareError or SenseKey.Miscompare
                    => isWrite ? ModuleErrorCategory.WriteError : ModuleErrorCategory.ReadError,
                SenseKey.IllegalRequest => ModuleErrorCategory.InvalidArgument,
                SenseKey.NotReady => ModuleErrorCategory.ResourceUnavailable,
                SenseKey.AbortedCommand => ModuleErrorCategory.OperationStopped,
                _ => ModuleErrorCategory.DeviceError,
            };
        }
        return result.Status switch
        {
            ScsiStatus.Busy or ScsiStatus.TaskSetFull or ScsiStatus.ReservationConflict => ModuleErrorCategory.ResourceBusy,
            ScsiStatus.TaskAborted => ModuleErrorCategory.OperationStopped,
            _ => ModuleErrorCategory.DeviceError,
        };
    }

    private static ModuleErrorCategory ArgumentCategory(string errorId) => errorId switch
    {
        "SessionNotFound" or "PortalNotFound" or "LunNotFound" or "NoTargetPortal" or "TaskNotFound" => ModuleErrorCategory.ObjectNotFound,
        "SessionClosed" or "LunNotBlockDevice" => ModuleErrorCategory.InvalidOperation,
        "FileChanged" => ModuleErrorCategory.ReadError,
        _ => ModuleErrorCategory.InvalidArgument,
    };

    private static ModuleErrorCategory TaskManagementCategory(TaskManagementResponseCode response) => response switch
    {
        TaskManagementResponseCode.FunctionNotSupported => ModuleErrorCategory.NotImplemented,
        TaskManagementResponseCode.LunDoesNotExist => ModuleErrorCategory.ObjectNotFound,
        TaskManagementResponseCode.FunctionAuthorizationFailed => ModuleErrorCategory.PermissionDenied,
        _ => ModuleErrorCategory.DeviceError,
    };
}
