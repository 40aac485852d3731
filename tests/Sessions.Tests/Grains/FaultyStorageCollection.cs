namespace Sessions.Tests.Grains;

/// <summary>Tests that take grain storage down share one silo with its own breaker, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FaultyStorageCollection : ICollectionFixture<FaultyStorageClusterFixture>
{
    public const string Name = "faulty-storage";
}
