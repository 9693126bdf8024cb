using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Get-IscsiLun: describes the logical units of a session's target.</summary>
[Cmdlet(VerbsCommon.Get, "IscsiLun", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(IscsiLun))]
public sealed class GetIscsiLunCommand : IscsiCmdlet
{
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    /// <summary>Only these LUNs (each must be reported by the target).</summary>
    [Parameter]
    [ValidateRange(0, 16383)]
    public int[]? Lun { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
        if (TryRun(ct => LunInfoBuilder.BuildAsync(session, Lun, ct), session, out var luns))
            WriteObject(luns, enumerateCollection: true);
    }
}
