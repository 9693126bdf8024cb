namespace Iscsi.Tests.Infrastructure;

/// <summary>Every test class marked [Collection(IstgtCollection.Name)] shares ONE <see cref="IstgtTarget"/>
/// per test run. It runs in parallel with the "tgtd" collection: the two targets share nothing.</summary>
[CollectionDefinition(Name)]
public sealed class IstgtCollection : ICollectionFixture<IstgtTarget>
{
    public const string Name = "istgt";
}
