using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Sessions.Grains;
using Sessions.Grains.Storage;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Grains;

/// <summary>
/// One in-process silo whose grain storage is the real SQLite storage behind a switch (<see cref="FaultyStorage"/>),
/// with the production circuit breaker on top: the breaker sees the outage the test makes. Both the session clock
/// and the storage clock (timeouts, the breaker's break) are under the test's control.
/// </summary>
public sealed class FaultyStorageClusterFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-faulty-storage-tests", Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;
    private FaultyStorage? _storage;
    private FakeLogCollector? _logs;

    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeTimeProvider StorageTime { get; } = new(DateTimeOffset.UtcNow);

    public FaultyStorage Storage => _storage ?? throw new InvalidOperationException("No grain has used storage yet.");

    /// <summary>Every log record of the silo (the fake logging provider's collector).</summary>
    public FakeLogCollector Logs => _logs ?? throw new InvalidOperationException("The cluster has not been deployed.");

    public IGrainFactory Grains => (_cluster ?? throw new InvalidOperationException("The cluster has not been deployed.")).Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddDataProtection()
                .SetApplicationName("Sessions")
                .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_dataDirectory, "data-protection-keys")));
            // What the failure filter logs, at every level, so a test can tell a stack-traced warning from a quiet line.
            host.Logging.AddFakeLogging().AddFilter(typeof(StorageFailureFilter).FullName, LogLevel.Debug);
            host.Services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, Time);
            host.Services.AddKeyedSingleton<TimeProvider>(SessionsStorage.ClockKey, StorageTime);
            host.Services.Configure<SessionsTokenOptions>(options =>
            {
                options.Issuer = ClusterFixture.Issuer;
                options.KeyRingLease = TimeSpan.FromSeconds(1);
            });
            host.Services.Configure<SessionsSiloOptions>(options =>
            {
                options.IdleTimeout = ClusterFixture.IdleTimeout;
                options.RefreshReuseGrace = ClusterFixture.RefreshReuseGrace;
                options.Storage.Timeout = StorageTimeout;
                options.Storage.BreakDuration = BreakDuration;
            });
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSessionsGrains();
            silo.Services.AddGrainStorage(SessionsStorage.Name, (services, _) => _storage = new FaultyStorage(
                new SqliteGrainStorage(Path.Combine(_dataDirectory, "sessions.db"), new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()))));
            silo.AddGrainStorageCircuitBreaker(SessionsStorage.Name);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _logs = _cluster.Silos[0].ServiceProvider.GetFakeLogCollector();
    }

    public async Task DisposeAsync()
    {
        _storage?.ReleaseHungWrites();
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Registers a fresh user and logs it in once, while storage works.</summary>
    public async Task<(IUserGrain User, TokenPair Pair)> NewUserWithSession()
    {
        var username = ClusterFixture.NewUsername();
        var outcome = await Grains.GetGrain<IUsernameGrain>(Username.ToKey(username)!).Register(username, ClusterFixture.Password, []);
        var user = Grains.GetGrain<IUserGrain>(outcome.UserId!);
        return (user, await ClusterFixture.Login(user));
    }

    /// <summary>Brings storage back and waits out the breaker, so a test starts with it closed.</summary>
    public async Task Heal()
    {
        if (_storage is { } storage)
        {
            storage.Failing = false;
            storage.ReleaseHungWrites();
        }
        StorageTime.Advance(BreakDuration + TimeSpan.FromSeconds(11));
        await NewUserWithSession();
    }
}
