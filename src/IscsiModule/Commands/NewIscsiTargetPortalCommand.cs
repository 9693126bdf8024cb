using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>New-IscsiTargetPortal: checks a portal answers a discovery login and remembers it (with its discovery CHAP).</summary>
[Cmdlet(VerbsCommon.New, "IscsiTargetPortal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IscsiTargetPortal))]
public sealed class NewIscsiTargetPortalCommand : IscsiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string TargetPortalAddress { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int TargetPortalPortNumber { get; set; } = 3260;

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public string? InitiatorName { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => ToChap(Credential), TargetPortalAddress, out var chap)) return;
        // -WhatIf: not even the discovery login that checks the portal answers.
        if (!ShouldProcess($"{TargetPortalAddress}:{TargetPortalPortNumber}", "Check the portal with a discovery login and remember it")) return;
        if (TryRun(ct => TargetDiscoverer.AddPortalAsync(Cache, TargetPortalAddress, TargetPortalPortNumber, chap, InitiatorName, null, ct),
                TargetPortalAddress, out var portal))
            WriteObject(portal);
    }
}
