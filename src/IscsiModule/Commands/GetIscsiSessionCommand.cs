using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Get-IscsiSession: the cached sessions (shared by every runspace of the process), filtered.</summary>
[Cmdlet(VerbsCommon.Get, "IscsiSession")]
[OutputType(typeof(IscsiSessionInfo))]
public sealed class GetIscsiSessionCommand : IscsiCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string[]? SessionIdentifier { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeAddressCompleter))]
    public string[]? NodeAddress { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? TargetPortalAddress { get; set; }

    /// <summary>Only sessions whose connection is up.</summary>
    [Parameter]
    public SwitchParameter Connected { get; set; }

    protected override void ProcessRecord()
    {
        var ids = new NameFilter(SessionIdentifier);
        var nodes = new NameFilter(NodeAddress);
        var portals = new NameFilter(TargetPortalAddress);
        foreach (var session in Cache.Sessions)
        {
            if (ids.IsMatch(session.SessionIdentifier) && nodes.IsMatch(session.NodeAddress)
                && portals.IsMatch(session.TargetPortalAddress) && (!Connected || session.IsConnected))
                WriteObject(session);
        }
    }
}
