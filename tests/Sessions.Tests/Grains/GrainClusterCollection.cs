namespace Sessions.Tests.Grains;

/// <summary>Grain tests share one cluster; each test makes its own users and key rings.</summary>
[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
