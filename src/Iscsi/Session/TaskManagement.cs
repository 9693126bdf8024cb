namespace Iscsi.Session;

/// <summary>Task management functions (RFC 7143 11.5.1).</summary>
public enum TaskManagementFunction : byte
{
    AbortTask = 1,
    AbortTaskSet = 2,
    ClearAca = 3,
    ClearTaskSet = 4,
    LogicalUnitReset = 5,
    TargetWarmReset = 6,
    TargetColdReset = 7,
    TaskReassign = 8,
}

/// <summary>Task management response codes (RFC 7143 11.6.1).</summary>
public enum TaskManagementResponseCode : byte
{
    FunctionComplete = 0,
    TaskDoesNotExist = 1,
    LunDoesNotExist = 2,
    TaskStillAllegiant = 3,
    TaskAllegianceReassignmentNotSupported = 4,
    FunctionNotSupported = 5,
    FunctionAuthorizationFailed = 6,
    FunctionRejected = 255,
}

public sealed class TaskManagementResult
{
    public required TaskManagementFunction Function { get; init; }
    public required TaskManagementResponseCode Response { get; init; }
    public int Lun { get; init; }
    public uint ReferencedTaskTag { get; init; }
    public TimeSpan Duration { get; init; }
    public bool Succeeded => Response is TaskManagementResponseCode.FunctionComplete or TaskManagementResponseCode.TaskDoesNotExist;
    public override string ToString() => $"{Function}: {Response}";
}

public sealed class ScsiAsyncEventArgs : EventArgs
{
    public required int Lun { get; init; }
    public Iscsi.Scsi.SenseData? Sense { get; init; }
    public byte[] RawSense { get; init; } = [];
}

/// <summary>An iSCSI Asynchronous Message (RFC 7143 11.9) as the target sent it.</summary>
public sealed class IscsiAsyncMessageEventArgs : EventArgs
{
    public required byte AsyncEvent { get; init; }
    public byte AsyncVCode { get; init; }
    public ushort Parameter1 { get; init; }
    public ushort Parameter2 { get; init; }
    public ushort Parameter3 { get; init; }
    public string Description { get; init; } = "";
}
