using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Start-ScsiCommand: sends a CDB and returns its task handle at once (for Wait-ScsiCommand / Stop-ScsiCommand).</summary>
[Cmdlet(VerbsLifecycle.Start, "ScsiCommand", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ScsiTask))]
public sealed class StartScsiCommandCommand : IscsiCmdlet
{
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    public int Lun { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public byte[] Cdb { get; set; } = [];

    [Parameter]
    [ValidateRange(0, ScsiCommandFactory.MaxDataInLength)]
    public int DataInLength { get; set; }

    [Parameter]
    public byte[]? DataOut { get; set; }

    [Parameter]
    [ValidateRange(1, ScsiCommandFactory.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
        if (!TryDo(() => ScsiCommandFactory.Create(Lun, Cdb, DataInLength, DataOut, TimeoutSec), Cdb, out var command)) return;
        var decision = CommandClassifier.Classify(Cdb, Lun, session.NodeAddress);
        if (decision.ChangesData && !ShouldProcess(decision.Target, decision.Action)) return;
        // The command outlives this cmdlet: it is not tied to its StopProcessing token (Stop-ScsiCommand aborts it).
        if (TryDo(() => session.Session.Start(command, CancellationToken.None), session, out var task))
            WriteObject(task);
    }
}
