using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Reset-IscsiTarget: TARGET WARM RESET (default) or TARGET COLD RESET (which also drops every connection,
/// this session's included).</summary>
[Cmdlet(VerbsCommon.Reset, "IscsiTarget", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TaskManagementResult))]
public sealed class ResetIscsiTargetCommand : IscsiSessionCmdlet
{
    [Parameter]
    public SwitchParameter Warm { get; set; }

    [Parameter]
    public SwitchParameter Cold { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => TaskManagementCheck.ChooseTargetReset(Warm, Cold), null, out var function)) return;
        if (!TryResolveSession(out var session)) return;
        string name = function == TaskManagementFunction.TargetColdReset ? "TARGET COLD RESET" : "TARGET WARM RESET";
        if (!ShouldProcess(session.NodeAddress, name)) return;
        if (!TryRunOn(session, ct => function == TaskManagementFunction.TargetColdReset
                ? session.Session.TargetColdResetAsync(ct)
                : session.Session.TargetWarmResetAsync(ct), session, out var result)) return;
        if (TaskManagementCheck.Error(result, session.NodeAddress) is { } error) WriteMappedError(error, result);
        else WriteObject(result);
    }
}
