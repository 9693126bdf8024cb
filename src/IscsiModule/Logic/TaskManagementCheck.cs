using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>Stop-ScsiCommand / Reset-IscsiLun / Reset-IscsiTarget: a TMF answered with anything but success is an error.</summary>
public static class TaskManagementCheck
{
    public static TaskManagementException? Error(TaskManagementResult result, string target)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded) return null;
        return new TaskManagementException(result, $"{result.Function} on {target} was answered '{result.Response}' ({(byte)result.Response}).");
    }

    /// <summary>-Warm, -Cold or neither (warm); both is <c>ResetKindConflict</c>.</summary>
    public static TaskManagementFunction ChooseTargetReset(bool warm, bool cold)
    {
        if (warm && cold)
            throw new Iscsi.IscsiArgumentException("ResetKindConflict", "Give -Warm or -Cold, not both.");
        return cold ? TaskManagementFunction.TargetColdReset : TaskManagementFunction.TargetWarmReset;
    }
}
