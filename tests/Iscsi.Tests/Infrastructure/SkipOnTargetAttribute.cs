namespace Iscsi.Tests.Infrastructure;

/// <summary>Skips a [TargetFact]/[TargetTheory] on one target because that target lacks the feature under test.
/// The reason must name the limitation (it becomes the skip message, and docs/compatibility.md lists it):
/// a skip is a visible "not tested there, because", never a silent pass.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SkipOnTargetAttribute(TargetKind target, string limitation) : Attribute
{
    public TargetKind Target { get; } = target;

    public string Limitation { get; } = limitation;
}
