namespace Iscsi.Tests.Infrastructure;

/// <summary>The [Theory] twin of <see cref="RequiresTgtdFactAttribute"/>: skipped locally without tgtd, failing on CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresTgtdTheoryAttribute : TheoryAttribute
{
    public RequiresTgtdTheoryAttribute() => Skip = ToolAvailability.SkipReason(needsLibIscsi: false);

    /// <summary>Set when the test also drives libiscsi's utilities (iscsi-ls, iscsi-inq, ...).</summary>
    public bool AlsoLibIscsi
    {
        get => field;
        set
        {
            field = value;
            Skip = ToolAvailability.SkipReason(needsLibIscsi: value);
        }
    }
}
