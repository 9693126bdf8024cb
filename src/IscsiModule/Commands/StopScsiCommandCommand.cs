using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Stop-ScsiCommand: ABORT TASK for started commands, or ABORT TASK SET for every command on a LUN.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ScsiCommand", DefaultParameterSetName = TaskSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TaskManagementResult))]
public sealed class StopScsiCommandCommand : IscsiCmdlet
{
    private const string TaskSet = "Task";
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TaskSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ScsiTask[] Task { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
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

        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
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
