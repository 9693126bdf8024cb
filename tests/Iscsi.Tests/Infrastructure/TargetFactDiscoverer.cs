using Xunit.Abstractions;
using Xunit.Sdk;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Discovers a <see cref="TargetFactAttribute"/> test as a normal fact, or as one skipped case naming why
/// (see <see cref="TargetTestSkip"/>).</summary>
public sealed class TargetFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        string? skip;
        try
        {
            skip = TargetTestSkip.Reason(testMethod, factAttribute);
        }
        catch (InvalidOperationException e)
        {
            return [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, e.Message)];
        }

        return skip is null
            ? base.Discover(discoveryOptions, testMethod, factAttribute)
            : [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip)];
    }
}
