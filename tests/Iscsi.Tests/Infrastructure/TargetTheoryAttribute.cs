using Xunit.Sdk;

namespace Iscsi.Tests.Infrastructure;

/// <summary>The [Theory] twin of <see cref="TargetFactAttribute"/>: one run per target, skipped per target.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Iscsi.Tests.Infrastructure.TargetTheoryDiscoverer", "Iscsi.Tests")]
public sealed class TargetTheoryAttribute : TheoryAttribute
{
    /// <summary>Set when the test also drives libiscsi's utilities (iscsi-ls, iscsi-inq, ...).</summary>
    public bool AlsoLibIscsi { get; set; }
}
