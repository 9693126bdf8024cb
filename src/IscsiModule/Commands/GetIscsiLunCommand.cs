using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Get-IscsiLun: describes the logical units of a session's target.</summary>
[Cmdlet(VerbsCommon.Get, "IscsiLun", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(IscsiLun))]
public sealed class GetIscsiLunCommand : IscsiSessionCmdlet
{
    /// <summary>Positional here: the session is this cmdlet's only natural argument (Get-IscsiLun $s).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionTransformation]
    public override IscsiSessionInfo? Session { get; set; }

    /// <summary>Only these LUNs (each must be reported by the target).</summary>
    [Parameter]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int[]? Lun { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryResolveSession(out var session)) return;
        if (TryRunOn(session, ct => LunInfoBuilder.BuildAsync(session, Lun, ct), session, out var luns))
            WriteObject(luns, enumerateCollection: true);
    }
}
