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

    /// <summary>Sessions confirmed for logout and not yet logged out. `Get-IscsiSession | Disconnect-IscsiTarget` over
    /// many sessions logs them out this many at a time, concurrently: one after another, each waits a round trip and a
    /// socket close (1,000 sessions took seconds instead of a fraction of one).</summary>
    private const int LogoutBatch = 64;
    private readonly List<IscsiSessionInfo> _confirmed = [];

    protected override void ProcessRecord()
    {
        foreach (var session in Targets())
        {
            if (!ShouldProcess($"{session.SessionIdentifier} ({session.NodeAddress})", "Log out of iSCSI session")) continue;
            _confirmed.Add(session);
            if (_confirmed.Count >= LogoutBatch) LogOutConfirmed();
        }
    }

    protected override void EndProcessing() => LogOutConfirmed();

    /// <summary>Logs the confirmed sessions out together; errors and -PassThru objects come out in their order.</summary>
    private void LogOutConfirmed()
    {
        if (_confirmed.Count == 0) return;
        var batch = _confirmed.ToArray();
        _confirmed.Clear();
        var outcomes = RunSync(async ct =>
        {
            var logouts = batch.Select(async session =>
            {
                try
                {
                    await SessionConnector.DisconnectAsync(Cache, session, ct).ConfigureAwait(false);
                    return (Exception?)null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    return ex;
                }
            });
            return await Task.WhenAll(logouts).ConfigureAwait(false);
        });
        for (int i = 0; i < batch.Length; i++)
        {
            if (outcomes[i] is { } error) WriteMappedError(error, batch[i]);
            else if (PassThru) WriteObject(batch[i]);
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
