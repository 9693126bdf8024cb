using Xunit.Sdk;

namespace Iscsi.Tests.Infrastructure;

/// <summary>A [Fact] written once in an abstract test class and run once per target by the sealed subclasses
/// bound to a target collection (<see cref="TgtdCollection"/>, <see cref="IstgtCollection"/>). Skipped like
/// [RequiresTgtdFact] when that subclass's target is missing (locally only: on CI it runs and fails), and
/// skipped with the target's limitation when the method carries a matching <see cref="SkipOnTargetAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Iscsi.Tests.Infrastructure.TargetFactDiscoverer", "Iscsi.Tests")]
public sealed class TargetFactAttribute : FactAttribute
{
    /// <summary>Set when the test also drives libiscsi's utilities (iscsi-ls, iscsi-inq, ...).</summary>
    public bool AlsoLibIscsi { get; set; }
}
