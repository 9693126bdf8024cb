namespace Iscsi.Tests.Infrastructure;

/// <summary>Every test class marked [Collection(TgtdCollection.Name)] shares ONE <see cref="TgtdTarget"/>
/// per test run (xunit runs the classes of one collection one after another).</summary>
[CollectionDefinition(Name)]
public sealed class TgtdCollection : ICollectionFixture<TgtdTarget>
{
    public const string Name = "tgtd";
}
