using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Storage;
using Sessions.Api.Endpoints;
using Sessions.Api.Observability;
using Sessions.Grains;
using Sessions.Grains.Fencing;
using Sessions.Silo.Database;
using Sessions.Silo.Health;

namespace Sessions.Silo;

internal static class SiloHosting
{
    public const string DataProtectionApplicationName = "Sessions";

    /// <summary>
    /// A Sessions silo. By default (<c>Cluster:Provider=Localhost</c>) one process with durable embedded storage:
    /// SQLite and Data Protection keys in one data folder. With <c>Cluster:Provider=Postgres</c>, a member of a
    /// cluster whose membership, grain state and Data Protection keys live in PostgreSQL.
    /// </summary>
    public static WebApplicationBuilder AddSessionsSilo(this WebApplicationBuilder builder, SessionsSiloOptions settings)
    {
        Username.EnsureAvailable();
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.Read(configuration);
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        var sealedKeyRing = dataProtection.ProtectKeysWithConfiguredCertificate(configuration);
        builder.Services.AddHealthChecks()
            .AddCheck<SiloStartedHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag])
            .Add(new HealthCheckRegistration("storage",
                services => new StorageHealthCheck(services.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name)),
                HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag], TimeSpan.FromSeconds(5)));

        if (cluster.UsesPostgres)
        {
            var connectionString = cluster.PostgresConnectionString;
            ThreadPoolFloor.Raise(connectionString);
            dataProtection.AddKeyManagementOptions(options => options.XmlRepository = new PostgresXmlRepository(connectionString));
            if (!sealedKeyRing)
                builder.Services.WarnAtStartIfUnsealed();
            builder.Services.AddHealthChecks().AddCheck<FenceHealthCheck>("fence", tags: [HealthEndpoints.ReadyTag]);
            builder.UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(options =>
                    {
                        options.ClusterId = cluster.ClusterId;
                        options.ServiceId = cluster.ServiceId;
                    })
                    .UsePostgresClustering(connectionString)
                    .ConfigureEndpoints(AdvertisedAddress(cluster), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true)
                    // Failure-detection timing (ProbeTimeout, NumMissedProbesLimit, ...) is the operator's to tune.
                    .Configure<ClusterMembershipOptions>(configuration.GetSection("Cluster:Membership"))
                    .AddPostgresGrainStorage(SessionsStorage.Name, connectionString)
                    .AddSessionsGrains()
                    .AddSessionsFence(configuration)
                    .AddSessionsDashboard(settings.Dashboard);
                if (TelemetryOptions.Read(configuration).Traces)
                    silo.AddActivityPropagation();
#pragma warning disable ORLEANSEXP003 // Strongly consistent directory: a revocation is never answered by a stale second activation.
                silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            });
            return builder;
        }

        var dataDirectory = Path.GetFullPath(settings.DataDirectory, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);
        // Protects the signing keys at rest; sealed with Sessions:DataProtection:Certificate if one is configured.
        dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "data-protection-keys")));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort)
                // The one silo owns every directory entry, and a lookup it misses in the cache reads its own partition
                // instead; the cache would only keep a second copy of each address, about 230 bytes per grain ever
                // called (the user's, and the name grains of their login long after those deactivated).
                .Configure<GrainDirectoryOptions>(options => options.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None)
                .AddSessionsGrains()
                .AddSessionsDashboard(settings.Dashboard)
                .AddSqliteGrainStorage(SessionsStorage.Name, Path.Combine(dataDirectory, "sessions.db"));
            // Grain calls join the request's trace; only with traces on, as the filters run on every call.
            if (TelemetryOptions.Read(configuration).Traces)
                silo.AddActivityPropagation();
        });
        return builder;
    }

    private static IPAddress AdvertisedAddress(ClusterSettings cluster)
    {
        if (cluster.AdvertisedIP is { Length: > 0 } configured)
            return IPAddress.Parse(configured);
        // In a container the host name resolves to the address other members can reach.
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
