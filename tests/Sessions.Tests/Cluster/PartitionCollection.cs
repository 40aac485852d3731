namespace Sessions.Tests.Cluster;

/// <summary>
/// The partition suite shares one namespace topology, and runs alone (after the parallel collections): its timings
/// are what it measures, so it must not share two cores with the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PartitionCollection : ICollectionFixture<NetnsCluster>
{
    public const string Name = "netns-partition";
}
