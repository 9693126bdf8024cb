using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Stop-ScsiCommand: ABORT TASK for started commands, or ABORT TASK SET for every command on a LUN.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ScsiCommand", DefaultParameterSetName = TaskSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TaskManagementResult))]
public sealed class StopScsiCommandCommand : IscsiSessionCmdlet
{
    private const string TaskSet = "Task";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ScsiTask[] Task { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int Lun { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TaskSet)
        {
            foreach (var task in Task)
            {
                string target = $"task 0x{task.InitiatorTaskTag:X8} on LUN {task.Command.Lun} of {task.Session.TargetName}";
                if (!ShouldProcess(target, "ABORT TASK")) continue;
                if (TryRun(ct => task.AbortAsync(ct), task, out var result)) Emit(result, target);
            }
            return;
        }

        if (!TryResolveSession(out var session)) return;
        string lunTarget = $"LUN {Lun} of {session.NodeAddress}";
        if (!ShouldProcess(lunTarget, "ABORT TASK SET")) return;
        if (TryRun(ct => session.Session.AbortTaskSetAsync(Lun, ct), session, out var setResult)) Emit(setResult, lunTarget);
    }

    private void Emit(TaskManagementResult result, string target)
    {
        if (TaskManagementCheck.Error(result, target) is { } error) WriteMappedError(error, result);
        else WriteObject(result);
    }
}
