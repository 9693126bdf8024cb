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
    [ArgumentCompleter(typeof(PortalAddressCompleter))]
    public string[]? TargetPortalAddress { get; set; }

    /// <summary>Only sessions whose connection is up.</summary>
    [Parameter]
    public SwitchParameter Connected { get; set; }

    protected override void ProcessRecord()
    {
        var ids = new NameFilter(SessionIdentifier);
        var nodes = new NameFilter(NodeAddress);
        var portals = new NameFilter(TargetPortalAddress);
        var found = Cache.Sessions.Where(session => ids.IsMatch(session.SessionIdentifier) && nodes.IsMatch(session.NodeAddress)
            && portals.IsMatch(session.TargetPortalAddress) && (!Connected || session.IsConnected)).ToArray();
        foreach (var session in found) WriteObject(session);
        // As Get-Process -Name does: a name without wildcards that matches nothing is an error; a pattern is not.
        foreach (string id in NameFilter.Literals(SessionIdentifier).Where(id => !found.Any(s => string.Equals(s.SessionIdentifier, id, StringComparison.OrdinalIgnoreCase))))
            WriteMappedError(new Iscsi.IscsiArgumentException("SessionNotFound",
                $"No session '{id}' is in the session cache{(Cache.TryGet(id) is null ? "" : " that matches the other filters")}. Get-IscsiSession lists the sessions there are."), id);
        foreach (string node in NameFilter.Literals(NodeAddress).Where(n => !found.Any(s => string.Equals(s.NodeAddress, n, StringComparison.OrdinalIgnoreCase))))
            WriteMappedError(new Iscsi.IscsiArgumentException("SessionNotFound",
                $"No session to target '{node}' is in the session cache. Get-IscsiSession lists the sessions there are."), node);
    }
}
