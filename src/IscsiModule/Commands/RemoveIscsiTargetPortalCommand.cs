using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Remove-IscsiTargetPortal: forgets a remembered portal (sessions made through it stay).</summary>
[Cmdlet(VerbsCommon.Remove, "IscsiTargetPortal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IscsiTargetPortal))]
public sealed class RemoveIscsiTargetPortalCommand : IscsiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string TargetPortalAddress { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int TargetPortalPortNumber { get; set; } = 3260;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string name = $"{TargetPortalAddress}:{TargetPortalPortNumber}";
        if (!ShouldProcess(name, "Forget target portal")) return;
        if (TryDo(() => Cache.RemovePortal(TargetPortalAddress, TargetPortalPortNumber), name, out var removed) && PassThru)
            WriteObject(removed);
    }
}
