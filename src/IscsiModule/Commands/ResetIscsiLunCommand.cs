using System.Management.Automation;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Reset-IscsiLun: LOGICAL UNIT RESET (every command on the LUN is aborted; other initiators see a UNIT ATTENTION).</summary>
[Cmdlet(VerbsCommon.Reset, "IscsiLun", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TaskManagementResult))]
public sealed class ResetIscsiLunCommand : IscsiCmdlet
{
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    public int Lun { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
        string target = $"LUN {Lun} of {session.NodeAddress}";
        if (!ShouldProcess(target, "LOGICAL UNIT RESET")) return;
        if (!TryRun(ct => session.Session.LunResetAsync(Lun, ct), session, out var result)) return;
        if (TaskManagementCheck.Error(result, target) is { } error) WriteMappedError(error, result);
        else WriteObject(result);
    }
}
