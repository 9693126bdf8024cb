using System.Management.Automation;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Invoke-ScsiCommand: sends any CDB and returns the whole result. Data-changing CDBs go through ShouldProcess.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "ScsiCommand", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ScsiResult))]
public sealed class InvokeScsiCommandCommand : ScsiCommandCmdlet
{
    /// <summary>Return a non-GOOD result as output instead of also writing an error (like Invoke-WebRequest -SkipHttpErrorCheck).</summary>
    [Parameter]
    public SwitchParameter SkipStatusCheck { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryPrepare(out var session, out var command)) return;
        if (!TryRunOn(session, ct => session.Session.ExecuteAsync(command, ct), session, out var result)) return;
        if (ScsiCommandFactory.StatusError(result, SkipStatusCheck) is { } error)
            WriteMappedError(error, result);
        else
            WriteObject(result);
    }
}
