using Sessions.Grains;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>
/// The Orleans ADO.NET membership table on our schema, called directly: every change to a member must name the
/// table version it saw, and a stale version changes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipTableTests(PostgresServer server)
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Initialize_NewCluster_StartsEmptyAtVersionZero()
    {
        var table = await NewTable();

        var data = await table.ReadAllAsync();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_WithCurrentVersion_AddsTheSiloAndBumpsTheVersion()
    {
        var table = await NewTable();
        var entry = Entry(1, SiloStatus.Joining);

        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        var data = await table.ReadRowAsync(entry.SiloAddress);
        var (read, _) = Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(entry.SiloAddress, read.SiloAddress);
        Assert.Equal((entry.SiloName, entry.HostName, entry.Status, entry.ProxyPort), (read.SiloName, read.HostName, read.Status, read.ProxyPort));
        Assert.Equal((entry.StartTime, entry.IAmAliveTime), (read.StartTime, read.IAmAliveTime));
    }

    [Fact]
    public async Task InsertRow_WithStaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await NewTable();
        var stale = (await table.ReadAllAsync()).Version.Next();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), stale));

        Assert.False(await table.InsertRowAsync(Entry(2, SiloStatus.Active), stale));

        var data = await table.ReadAllAsync();
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_SameSiloTwice_ReturnsFalseAndKeepsTheVersion()
    {
        var table = await NewTable();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        Assert.False(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task UpdateRow_WithCurrentVersion_StoresStatusAndSuspicions()
    {
        var table = await NewTable();
        var entry = Entry(1, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        var (current, etag) = Assert.Single((await table.ReadAllAsync()).Members);
        var voter = SiloAddress.New(IPAddress.Loopback, 20000, 7);
        current.Status = SiloStatus.Dead;
        current.SuspectTimes = [Tuple.Create(voter, Now.AddSeconds(5))];

        Assert.True(await table.UpdateRowAsync(current, etag, (await table.ReadAllAsync()).Version.Next()));

        var data = await table.ReadRowAsync(entry.SiloAddress);
        var (read, _) = Assert.Single(data.Members);
        Assert.Equal(SiloStatus.Dead, read.Status);
        var (suspecter, time) = Assert.Single(read.SuspectTimes!);
        Assert.Equal((voter, Now.AddSeconds(5)), (suspecter, time));
        Assert.Equal(2, data.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_WithStaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await NewTable();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));
        var read = await table.ReadAllAsync();
        var (current, etag) = Assert.Single(read.Members);
        Assert.True(await table.InsertRowAsync(Entry(2, SiloStatus.Active), read.Version.Next()));
        current.Status = SiloStatus.Dead;

        Assert.False(await table.UpdateRowAsync(current, etag, read.Version.Next()));

        var data = await table.ReadRowAsync(current.SiloAddress);
        Assert.Equal(SiloStatus.Active, Assert.Single(data.Members).Item1.Status);
        Assert.Equal(2, data.Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyTheHeartbeat()
    {
        var table = await NewTable();
        var entry = Entry(1, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        entry.IAmAliveTime = Now.AddMinutes(1);
        await table.UpdateIAmAliveAsync(entry);

        var data = await table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(data.Members).Item1.IAmAliveTime);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_DeletesOnlyDeadRowsLastAliveBeforeTheDate()
    {
        var table = await NewTable();
        var oldDead = Entry(1, SiloStatus.Dead, aliveAt: Now.AddHours(-2));
        var recentDead = Entry(2, SiloStatus.Dead, aliveAt: Now);
        var oldActive = Entry(3, SiloStatus.Active, aliveAt: Now.AddHours(-2));
        foreach (var entry in new[] { oldDead, recentDead, oldActive })
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Now.AddHours(-1)));

        var remaining = (await table.ReadAllAsync()).Members.Select(member => member.Item1.SiloAddress);
        Assert.Equal(new[] { recentDead.SiloAddress, oldActive.SiloAddress }.Order(), remaining.Order());
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_ForgetsOnlyThatCluster()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var deleted = await NewTable(connectionString, "deleted");
        var other = await NewTable(connectionString, "kept");
        Assert.True(await deleted.InsertRowAsync(Entry(1, SiloStatus.Active), (await deleted.ReadAllAsync()).Version.Next()));
        Assert.True(await other.InsertRowAsync(Entry(1, SiloStatus.Active), (await other.ReadAllAsync()).Version.Next()));

        await deleted.DeleteMembershipTableEntriesAsync("deleted");
        await deleted.InitializeMembershipTableAsync(tryInitTableVersion: true);

        Assert.Empty((await deleted.ReadAllAsync()).Members);
        Assert.Single((await other.ReadAllAsync()).Members);
    }

    private async Task<AdoNetClusteringTable> NewTable() => await NewTable(await server.CreateDatabaseAsync(), "sessions");

    private static async Task<AdoNetClusteringTable> NewTable(string connectionString, string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "sessions" }),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = ClusterSettings.Invariant,
                ConnectionString = connectionString,
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int generation, SiloStatus status, DateTime? aliveAt = null) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, 11111, generation),
        SiloName = "silo-" + generation,
        HostName = "host-" + generation,
        Status = status,
        ProxyPort = 30000 + generation,
        StartTime = Now.AddHours(-3),
        IAmAliveTime = aliveAt ?? Now,
    };
}
