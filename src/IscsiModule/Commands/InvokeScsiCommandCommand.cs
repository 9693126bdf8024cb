using System.Management.Automation;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Invoke-ScsiCommand: sends any CDB and returns the whole result. Data-changing CDBs go through ShouldProcess.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "ScsiCommand", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ScsiResult))]
public sealed class InvokeScsiCommandCommand : IscsiCmdlet
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

    /// <summary>Return a non-GOOD result as output instead of also writing an error (like Invoke-WebRequest -SkipHttpErrorCheck).</summary>
    [Parameter]
    public SwitchParameter SkipStatusCheck { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
        if (!TryDo(() => ScsiCommandFactory.Create(Lun, Cdb, DataInLength, DataOut, TimeoutSec), Cdb, out var command)) return;
        var decision = CommandClassifier.Classify(Cdb, Lun, session.NodeAddress);
        if (decision.ChangesData && !ShouldProcess(decision.Target, decision.Action)) return;
        if (!TryRunOn(session, ct => session.Session.ExecuteAsync(command, ct), session, out var result)) return;
        if (ScsiCommandFactory.StatusError(result, SkipStatusCheck) is { } error)
            WriteMappedError(error, result);
        else
            WriteObject(result);
    }
}
