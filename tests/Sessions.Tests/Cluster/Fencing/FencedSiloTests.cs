using System.Net;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Sessions.Grains;
using Sessions.Grains.Fencing;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// A real clustered silo (ADO.NET membership and storage on the throwaway PostgreSQL) and a real client on its
/// gateway. The membership table "stops answering" by an exclusive lock held on it, so the silo's reads of its own row
/// hang until they time out, as they would behind a partition.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FencedSiloTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _clusterId = "fence-" + Guid.NewGuid().ToString("N")[..8];
    private string _connectionString = "";
    private IHost? _silo;
    private IHost? _client;

    private IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        _silo = BuildSilo(new Dictionary<string, string?> { ["Cluster:Fence:Duration"] = "00:00:02" });
        await _silo.StartAsync();
        var client = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        client.UseOrleansClient(orleans => orleans
            .UseAdoNetClustering(options =>
            {
                options.Invariant = ClusterSettings.Invariant;
                options.ConnectionString = _connectionString;
            })
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = _clusterId;
                options.ServiceId = "sessions";
            }));
        _client = client.Build();
        await _client.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _client, _silo })
        {
            if (host is null)
                continue;
            await host.StopAsync(new CancellationToken(canceled: true));
            host.Dispose();
        }
    }

    [Fact]
    public async Task GrainCall_WhileTheMembershipTableDoesNotAnswer_IsRefusedWithSiloFencedException()
    {
        Assert.Null(await Probe());
        await using var outage = await StopAnswering();

        var refusal = await EventuallyRefused();

        Assert.StartsWith("This silo is fenced: its membership row was last confirmed Active", refusal.Message);
    }

    [Fact]
    public async Task GrainCall_OnceTheMembershipTableAnswersAgain_Succeeds()
    {
        await using (await StopAnswering())
            await EventuallyRefused();

        await Eventually.Succeeds(async () => await Probe() is null, Deadline, "the fence should lift once the row reads Active again");
    }

    [Fact]
    public async Task Register_WhileFenced_IsRefusedBeforeItRunsAndCreatesNoAccount()
    {
        var name = "fenced" + Guid.NewGuid().ToString("N")[..12];
        await using (await StopAnswering())
        {
            await EventuallyRefused();
            await Assert.ThrowsAsync<SiloFencedException>(() => Client.GetGrain<IUsernameGrain>(name).Register(name, "correct horse battery", []));
        }

        await Eventually.Succeeds(async () => await Probe() is null, Deadline, "the fence should lift once the row reads Active again");
        Assert.Null(await Client.GetGrain<IUsernameGrain>(name).GetUserId());
    }

    [Fact]
    public async Task RefusedCalls_WhileFenced_AreCountedAndTheGaugeIsOne()
    {
        var meterFactory = _silo!.Services.GetRequiredService<IMeterFactory>();
        using var refusals = new MetricCollector<long>(meterFactory, SessionsTelemetry.MeterName, "silo_fenced_refusals");
        using var fenced = new MetricCollector<int>(meterFactory, SessionsTelemetry.MeterName, "silo_fenced");
        await using var outage = await StopAnswering();

        await EventuallyRefused();
        await Assert.ThrowsAsync<SiloFencedException>(Probe);

        Assert.True(refusals.GetMeasurementSnapshot().EvaluateAsCounter() >= 2);
        fenced.RecordObservableInstruments();
        Assert.Equal(1, fenced.LastMeasurement!.Value);
    }

    [Fact]
    public void Start_DefaultDirectoryLease_IsShortenedToWhatTheGuardNeeds()
    {
        // The project's cluster-test timings: detection 4 s × 2, plus (3.9 s + 1.95 s + 1 s) × 1.25 rounded up to 9 s.
        using var silo = BuildSilo(new Dictionary<string, string?>());

        Assert.Equal(TimeSpan.FromSeconds(17), silo.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
    }

    [Fact]
    public async Task Start_FenceLongerThanTheLeaseAllows_RefusesNamingTheSetting()
    {
        using var silo = BuildSilo(new Dictionary<string, string?>
        {
            ["Cluster:Fence:Duration"] = "00:00:32",
        });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Cluster:Fence:Duration (00:00:32)", failure.Message);
    }

    [Fact]
    public async Task Start_DirectoryLeaseTooShortForTheGuard_RefusesNamingTheSetting()
    {
        // 10 s − 8 s of detection leaves 2 s; the guard needs 9 s.
        using var silo = BuildSilo(new Dictionary<string, string?> { ["Cluster:Directory:RangeLeaseDuration"] = "00:00:10" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Cluster:Directory:RangeLeaseDuration", failure.Message);
        Assert.Contains("at least 00:00:09", failure.Message);
    }

    private Task<string?> Probe() => Client.GetGrain<IUsernameGrain>("fence-probe-" + Guid.NewGuid().ToString("N")).GetUserId();

    private async Task<SiloFencedException> EventuallyRefused()
    {
        SiloFencedException? refusal = null;
        await Eventually.Succeeds(async () =>
        {
            try
            {
                await Probe();
                return false;
            }
            catch (SiloFencedException exception)
            {
                // The probe is a new activation each time, so the takeover guard refuses it first: once no membership
                // read has completed for a few seconds, it cannot know that no dead silo may still answer for it.
                refusal = exception;
                return exception.Message.StartsWith("This silo is fenced", StringComparison.Ordinal);
            }
        }, Deadline, "the silo should fence once its own row cannot be read");
        return refusal!;
    }

    /// <summary>Holds an exclusive lock on the membership table: every read of it waits until the lock is released.</summary>
    private async Task<NpgsqlConnection> StopAnswering()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var begin = new NpgsqlCommand("BEGIN; LOCK TABLE orleans_membership IN ACCESS EXCLUSIVE MODE", connection);
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private IHost BuildSilo(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var configuration = builder.Configuration;
        builder.UseOrleans(silo => silo
            .UsePostgresClustering(_connectionString)
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = _clusterId;
                options.ServiceId = "sessions";
            })
            .ConfigureEndpoints(IPAddress.Loopback, FreePorts.Next(), FreePorts.Next())
            .Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            })
            .AddPostgresGrainStorage(SessionsStorage.Name, _connectionString)
            .AddSessionsGrains()
            .AddSessionsFence(configuration));
        return builder.Build();
    }
}
