namespace Sessions.Tests.Cluster;

/// <summary>The process-level cluster is costly to start, so its tests share one and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local-cluster";
}
