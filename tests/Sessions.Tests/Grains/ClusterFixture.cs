using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>
/// Two in-process silos with the Sessions grains, one SQLite file and one Data Protection key folder between them,
/// and the session clock under the test's control. Tests share it and make their own users.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Issuer = "http://sessions.test";
    public const string Password = "correct horse battery";
    public const int MaxSessionsPerUser = 3;
    public const int MaxFailures = 3;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshReuseGrace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-cluster-tests", Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not been deployed.");

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddDataProtection()
                .SetApplicationName("Sessions")
                .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_dataDirectory, "data-protection-keys")));
            host.Services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, Time);
            host.Services.Configure<SessionsTokenOptions>(options =>
            {
                options.Issuer = Issuer;
                options.AccessTokenLifetime = AccessTokenLifetime;
                options.KeyRingLease = TimeSpan.FromSeconds(1);
            });
            host.Services.Configure<SessionsSiloOptions>(options =>
            {
                options.IdleTimeout = IdleTimeout;
                options.MaxSessionsPerUser = MaxSessionsPerUser;
                options.RefreshReuseGrace = RefreshReuseGrace;
                options.Lockout.MaxFailures = MaxFailures;
                options.Lockout.Duration = LockoutDuration;
            });
        });
        builder.ConfigureSilo((_, silo) => silo
            .AddSessionsGrains()
            .AddSqliteGrainStorage(SessionsStorage.Name, Path.Combine(_dataDirectory, "sessions.db")));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    public static string NewUsername() => "u" + Guid.NewGuid().ToString("N")[..16];

    public IUsernameGrain UsernameIndex(string username) => Grains.GetGrain<IUsernameGrain>(Username.ToKey(username)!);

    /// <summary>Registers a fresh user through the username index and returns its grain.</summary>
    public async Task<IUserGrain> NewUser(string[]? roles = null)
    {
        var username = NewUsername();
        var outcome = await UsernameIndex(username).Register(username, Password, roles ?? []);
        Assert.True(outcome.Created);
        return Grains.GetGrain<IUserGrain>(outcome.UserId!);
    }

    /// <summary>Deactivates the grain's activation and waits until it is gone, so the next call reads storage.</summary>
    public async Task Deactivate(IAddressable grain)
    {
        await Cluster.DeactivateAsync(grain);
        Assert.False(Cluster.TryGetGrainContext(grain.GetGrainId(), out _));
    }

    /// <summary>Logs in with the right password; fails the test if that does not give a token pair.</summary>
    public static async Task<TokenPair> Login(IUserGrain user, string? deviceId = null)
    {
        var outcome = await user.Login(new LoginRequest(Password, deviceId, null, null));
        Assert.Equal(TokenFailure.None, outcome.Failure);
        return outcome.Tokens!;
    }
}
