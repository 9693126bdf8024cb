using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Decides, at discovery time, whether a [TargetFact]/[TargetTheory] runs on the target of the class it
/// is discovered in. xunit 2 cannot skip from inside a running test, so the target has to be known before: it is
/// the <see cref="TestTarget"/> fixture of the class's collection (e.g. IstgtCollection : ICollectionFixture&lt;IstgtTarget&gt;).</summary>
internal static class TargetTestSkip
{
    /// <summary>The skip reason for <paramref name="testMethod"/> in its concrete class, or null to run it.</summary>
    public static string? Reason(ITestMethod testMethod, IAttributeInfo testAttribute)
    {
        var kind = KindOf(testMethod.TestClass);
        var needsLibIscsi = testAttribute.GetNamedArgument<bool>("AlsoLibIscsi");
        if (ToolAvailability.SkipReason(kind, needsLibIscsi) is { } missing)
        {
            return $"{kind.ToString().ToLowerInvariant()}: {missing}";
        }

        var limitation = testMethod.Method.ToRuntimeMethod()
            .GetCustomAttributes(typeof(SkipOnTargetAttribute), inherit: true)
            .Cast<SkipOnTargetAttribute>()
            .FirstOrDefault(a => a.Target == kind);
        return limitation is null ? null : $"not supported by {kind.ToString().ToLowerInvariant()}: {limitation.Limitation}";
    }

    /// <summary>The target kind of the fixture the test class's collection provides.</summary>
    public static TargetKind KindOf(ITestClass testClass)
    {
        var definition = testClass.TestCollection.CollectionDefinition?.ToRuntimeType();
        var fixture = definition?.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault(t => t.IsSubclassOf(typeof(TestTarget)));
        if (fixture is null)
        {
            throw new InvalidOperationException(
                $"{testClass.Class.Name} uses [TargetFact]/[TargetTheory] but its collection provides no TestTarget fixture: " +
                $"mark it [Collection(TgtdCollection.Name)] or [Collection(IstgtCollection.Name)]");
        }

        return fixture == typeof(IstgtTarget) ? TargetKind.Istgt
            : fixture == typeof(TgtdTarget) ? TargetKind.Tgtd
            : throw new InvalidOperationException($"no TargetKind for fixture {fixture.Name}");
    }
}
