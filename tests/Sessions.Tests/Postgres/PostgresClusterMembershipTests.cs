using System.Net;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>
/// Real silos on TCP ports, clustered through PostgreSQL: they register themselves as active, and a silo that is
/// stopped abruptly ends up dead in the table while the other stays active.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterMembershipTests(PostgresServer server) : IAsyncLifetime
{
    private const int Active = (int)SiloStatus.Active;
    private const int Dead = (int)SiloStatus.Dead;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<IHost> _silos = [];
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.StopAsync(new CancellationToken(canceled: true));
            silo.Dispose();
        }
    }

    [Fact]
    public async Task Start_Silo_WritesAnActiveRow()
    {
        var (_, port) = await StartSilo();

        var rows = await WaitForRows(rows => rows.Any(row => row.Port == port && row.Status == Active));

        var row = Assert.Single(rows);
        Assert.Equal("127.0.0.1", row.Address);
        Assert.True(row.ProxyPort > 0);
    }

    [Fact]
    public async Task Kill_OneOfTwoSilos_ItsRowBecomesDead()
    {
        var (_, survivorPort) = await StartSilo();
        var (victim, victimPort) = await StartSilo();
        await WaitForRows(rows => rows.Count(row => row.Status == Active) == 2);

        // What InProcessTestCluster.KillSiloAsync does: a stop cancelled before it starts skips the graceful
        // shutdown. The silo still records its own death on the way out; a crash that cannot is left to the
        // survivor's probes, which this test does not isolate.
        await victim.StopAsync(new CancellationToken(canceled: true));

        var rows = await WaitForRows(rows => rows.Any(row => row.Port == victimPort && row.Status == Dead));
        Assert.Equal(Active, rows.Single(row => row.Port == survivorPort).Status);
    }

    private async Task<(IHost Host, int SiloPort)> StartSilo()
    {
        var siloPort = FreePorts.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo
            .UsePostgresClustering(_connectionString)
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = _clusterId;
                options.ServiceId = "sessions";
            })
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, FreePorts.Next())
            .Configure<ClusterMembershipOptions>(options =>
            {
                // Seconds instead of minutes: refresh and probe every second, declare death after two misses and one vote.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.MaxProbeTimeout = TimeSpan.FromSeconds(2);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
                options.EnableIndirectProbes = false;
                options.ExtendProbeTimeoutDuringDegradation = false;
            }));
        var host = builder.Build();
        _silos.Add(host);
        await host.StartAsync();
        return (host, siloPort);
    }

    private async Task<List<MemberRow>> WaitForRows(Func<List<MemberRow>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            var rows = await ReadRows();
            if (condition(rows))
                return rows;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Membership did not settle within {Deadline}: {string.Join(", ", rows)}");
            await poll.WaitForNextTickAsync();
        }
    }

    private async Task<List<MemberRow>> ReadRows()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT address, port, proxy_port, status FROM orleans_membership WHERE deployment_id = @cluster", connection);
        command.Parameters.AddWithValue("cluster", _clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MemberRow>();
        while (await reader.ReadAsync())
            rows.Add(new MemberRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        return rows;
    }

    private sealed record MemberRow(string Address, int Port, int ProxyPort, int Status);
}
