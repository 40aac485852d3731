using System.Net;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>The stopped-marker table on the migrated schema: one marker per silo identity and cluster, found with its age.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoppedSiloMarkersTests(PostgresServer server)
{
    private static readonly SiloAddress First = SiloAddress.New(new IPEndPoint(IPAddress.Parse("198.18.1.11"), 11111), 1);
    private static readonly SiloAddress NextGeneration = SiloAddress.New(new IPEndPoint(IPAddress.Parse("198.18.1.11"), 11111), 2);

    [Fact]
    public async Task Find_AfterMark_FindsOnlyTheMarkedIdentity()
    {
        var markers = new PostgresStoppedSiloMarkers(await server.CreateDatabaseAsync(), "cluster-a");

        await markers.MarkAsync(First, "stopped", CancellationToken.None);
        var found = await markers.FindAsync([First, NextGeneration], CancellationToken.None);

        Assert.Equal([First], found.Keys);
        Assert.InRange(found[First], TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Find_MarkOfAnotherCluster_FindsNothing()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresStoppedSiloMarkers(connectionString, "cluster-a").MarkAsync(First, "stopped", CancellationToken.None);

        var found = await new PostgresStoppedSiloMarkers(connectionString, "cluster-b").FindAsync([First], CancellationToken.None);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Mark_Twice_KeepsOneMarker()
    {
        var markers = new PostgresStoppedSiloMarkers(await server.CreateDatabaseAsync(), "cluster-a");

        await markers.MarkAsync(First, "stopped", CancellationToken.None);
        await markers.MarkAsync(First, "lease", CancellationToken.None);

        Assert.Single(await markers.FindAsync([First], CancellationToken.None));
    }
}
