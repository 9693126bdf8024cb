using System.Management.Automation;
using Iscsi.Scsi;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Wait-ScsiCommand: waits for started commands and returns their results. Ctrl+C or -TimeoutSec stops
/// the waiting, not the command.</summary>
[Cmdlet(VerbsLifecycle.Wait, "ScsiCommand")]
[OutputType(typeof(ScsiResult))]
public sealed class WaitScsiCommandCommand : IscsiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ScsiTask[] Task { get; set; } = [];

    [Parameter]
    [ValidateRange(1, ScsiCommandFactory.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    [Parameter]
    public SwitchParameter SkipStatusCheck { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var task in Task)
        {
            if (!TryRun(ct => TaskWaiter.WaitAsync(task, TimeoutSec, ct), task, out var result)) continue;
            if (ScsiCommandFactory.StatusError(result, SkipStatusCheck) is { } error)
                WriteMappedError(error, result);
            else
                WriteObject(result);
        }
    }
}
