using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Get-IscsiTarget: SendTargets discovery through one portal, or through every remembered portal.</summary>
[Cmdlet(VerbsCommon.Get, "IscsiTarget")]
[OutputType(typeof(IscsiTarget))]
public sealed class GetIscsiTargetCommand : IscsiCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string? TargetPortalAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int? TargetPortalPortNumber { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeAddressCompleter))]
    public string[]? NodeAddress { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => ToChap(Credential), TargetPortalAddress, out var chap)) return;
        var filter = new NameFilter(NodeAddress);
        if (!TryRun(ct => TargetDiscoverer.DiscoverAsync(Cache, TargetPortalAddress, TargetPortalPortNumber, chap, null, ct),
                TargetPortalAddress, out var targets)) return;
        foreach (var target in targets)
        {
            if (filter.IsMatch(target.NodeAddress)) WriteObject(target);
        }
    }
}
