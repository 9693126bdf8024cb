using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Test-IscsiSession: NOP-Out pings over a session, like Test-Connection (one result per ping, or -Quiet's one boolean).</summary>
[Cmdlet(VerbsDiagnostic.Test, "IscsiSession", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(IscsiSessionTestResult), typeof(bool))]
public sealed class TestIscsiSessionCommand : IscsiSessionCmdlet
{
    /// <summary>Positional here: the session is this cmdlet's only natural argument (Test-IscsiSession $s).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionTransformation]
    public override IscsiSessionInfo? Session { get; set; }

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Count { get; set; } = 4;

    /// <summary>Seconds between pings.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int Delay { get; set; } = 1;

    /// <summary>Return only True (every ping answered) or False.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        // A closed session is not an error here: its pings are results with Success = False, like an unreachable host's.
        if (!TryDo(() => SessionResolver.Resolve(Cache, Session, SessionIdentifier, null)[0], (object?)Session ?? SessionIdentifier, out var session)) return;
        bool allAnswered = true;
        for (int i = 1; i <= Count; i++)
        {
            int sequence = i;
            var result = RunSync(ct => SessionPinger.PingOnceAsync(session, sequence, ct));
            allAnswered &= result.Success;
            if (!Quiet) WriteObject(result);
            if (i < Count && Delay > 0) RunSync(ct => Task.Delay(TimeSpan.FromSeconds(Delay), ct));
        }
        if (Quiet) WriteObject(allAnswered);
    }
}
