using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Reset-IscsiLun: LOGICAL UNIT RESET (every command on the LUN is aborted; other initiators see a UNIT ATTENTION).</summary>
[Cmdlet(VerbsCommon.Reset, "IscsiLun", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TaskManagementResult))]
public sealed class ResetIscsiLunCommand : IscsiSessionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int Lun { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryResolveSession(out var session)) return;
        string target = $"LUN {Lun} of {session.NodeAddress}";
        if (!ShouldProcess(target, "LOGICAL UNIT RESET")) return;
        if (!TryRun(ct => session.Session.LunResetAsync(Lun, ct), session, out var result)) return;
        if (TaskManagementCheck.Error(result, target) is { } error) WriteMappedError(error, result);
        else WriteObject(result);
    }
}
