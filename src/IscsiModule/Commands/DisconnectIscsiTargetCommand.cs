using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Disconnect-IscsiTarget: logs sessions out (by object, identifier or target) and drops them from the cache.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "IscsiTarget", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IscsiSessionInfo))]
public sealed class DisconnectIscsiTargetCommand : IscsiCmdlet
{
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";
    private const string NodeSet = "NodeAddress";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true)]
    [SessionTransformation]
    public IscsiSessionInfo[] Session { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string[] SessionIdentifier { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = NodeSet)]
    [ArgumentCompleter(typeof(NodeAddressCompleter))]
    public string[] NodeAddress { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var session in Targets())
        {
            if (!ShouldProcess($"{session.SessionIdentifier} ({session.NodeAddress})", "Log out of iSCSI session")) continue;
            if (TryRun(async ct => { await SessionConnector.DisconnectAsync(Cache, session, ct).ConfigureAwait(false); return true; },
                    session, out _) && PassThru)
                WriteObject(session);
        }
    }

    private IEnumerable<IscsiSessionInfo> Targets()
    {
        var found = new List<IscsiSessionInfo>();
        switch (ParameterSetName)
        {
            case IdSet:
                foreach (var id in SessionIdentifier)
                    if (TryDo(() => Cache.Get(id), id, out var s)) found.Add(s);
                break;
            case NodeSet:
                foreach (var node in NodeAddress)
                    if (TryDo(() => Cache.GetByNodeAddress(node), node, out var list)) found.AddRange(list);
                break;
            default:
                found.AddRange(Session);
                break;
        }
        return found;
    }
}
