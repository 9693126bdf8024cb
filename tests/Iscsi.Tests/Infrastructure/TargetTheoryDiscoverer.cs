using Xunit.Abstractions;
using Xunit.Sdk;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Discovers a <see cref="TargetTheoryAttribute"/> test as a normal theory, or as one skipped case naming
/// why (see <see cref="TargetTestSkip"/>).</summary>
public sealed class TargetTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        string? skip;
        try
        {
            skip = TargetTestSkip.Reason(testMethod, theoryAttribute);
        }
        catch (InvalidOperationException e)
        {
            return [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, e.Message)];
        }

        return skip is null
            ? base.Discover(discoveryOptions, testMethod, theoryAttribute)
            : [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip)];
    }
}
