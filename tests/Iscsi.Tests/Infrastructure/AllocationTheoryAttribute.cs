namespace Iscsi.Tests.Infrastructure;

/// <summary>A tgtd theory that measures managed allocation: it only means something on a Release build (in Debug the
/// compiler makes every async state machine a class, allocated per call), so a Debug run skips it and says why.
/// test.sh and CI build Release.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllocationTheoryAttribute : TheoryAttribute
{
    public AllocationTheoryAttribute()
    {
#if DEBUG
        Skip = "allocation is measured on Release builds only (Debug async state machines are classes); run with -c Release, as test.sh does";
#else
        Skip = ToolAvailability.SkipReason(needsLibIscsi: false);
#endif
    }
}
