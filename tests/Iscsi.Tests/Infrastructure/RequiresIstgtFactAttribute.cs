namespace Iscsi.Tests.Infrastructure;

/// <summary>A [Fact] that needs a real istgt (and only istgt): skipped on a developer machine without it, but run (and so
/// failing with a clear reason) on CI, where a missing target means a broken CI setup, not a reason to pass.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresIstgtFactAttribute : FactAttribute
{
    public RequiresIstgtFactAttribute() => Skip = ToolAvailability.SkipReason(TargetKind.Istgt, needsLibIscsi: false);

    /// <summary>Set when the test also drives libiscsi's utilities (iscsi-ls, iscsi-inq, ...).</summary>
    public bool AlsoLibIscsi
    {
        get => field;
        set
        {
            field = value;
            Skip = ToolAvailability.SkipReason(TargetKind.Istgt, needsLibIscsi: value);
        }
    }
}
