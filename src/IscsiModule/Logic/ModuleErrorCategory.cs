namespace IscsiModule.Logic;

/// <summary>The subset of System.Management.Automation.ErrorCategory the module uses, spelled the same so the
/// cmdlet converts by name (a reflection test checks each name exists in SMA's enum). Kept here so that the
/// error mapping runs, and is tested, without PowerShell.</summary>
public enum ModuleErrorCategory
{
    NotSpecified,
    AuthenticationError,
    ConnectionError,
    ProtocolError,
    OperationTimeout,
    ReadError,
    WriteError,
    DeviceError,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    OperationStopped,
    PermissionDenied,
    ResourceBusy,
    ResourceUnavailable,
    NotImplemented,
    NotEnabled,
}
