namespace Iscsi.Tests.Infrastructure;

/// <summary>The [Theory] twin of <see cref="RequiresIstgtFactAttribute"/>: skipped locally without istgt, failing on CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresIstgtTheoryAttribute : TheoryAttribute
{
    public RequiresIstgtTheoryAttribute() => Skip = ToolAvailability.SkipReason(TargetKind.Istgt, needsLibIscsi: false);

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
