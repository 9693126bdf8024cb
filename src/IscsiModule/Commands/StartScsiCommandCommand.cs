using System.Management.Automation;
using Iscsi.Session;

namespace IscsiModule.Commands;

/// <summary>Start-ScsiCommand: sends a CDB and returns its task handle at once (for Wait-ScsiCommand / Stop-ScsiCommand).</summary>
[Cmdlet(VerbsLifecycle.Start, "ScsiCommand", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ScsiTask))]
public sealed class StartScsiCommandCommand : ScsiCommandCmdlet
{
    protected override void ProcessRecord()
    {
        if (!TryPrepare(out var session, out var command)) return;
        // The command outlives this cmdlet: it is not tied to its StopProcessing token (Stop-ScsiCommand aborts it).
        if (TryDo(() => session.Session.Start(command, CancellationToken.None), session, out var task))
            WriteObject(task);
    }
}
