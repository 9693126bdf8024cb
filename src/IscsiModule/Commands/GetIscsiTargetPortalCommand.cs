using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Get-IscsiTargetPortal: the remembered portals, filtered by address (wildcards) and port.</summary>
[Cmdlet(VerbsCommon.Get, "IscsiTargetPortal")]
[OutputType(typeof(IscsiTargetPortal))]
public sealed class GetIscsiTargetPortalCommand : IscsiCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string[]? TargetPortalAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int? TargetPortalPortNumber { get; set; }

    protected override void ProcessRecord()
    {
        var filter = new NameFilter(TargetPortalAddress);
        foreach (var portal in Cache.Portals)
        {
            if (filter.IsMatch(portal.TargetPortalAddress) && (TargetPortalPortNumber is null || portal.TargetPortalPortNumber == TargetPortalPortNumber))
                WriteObject(portal);
        }
    }
}
