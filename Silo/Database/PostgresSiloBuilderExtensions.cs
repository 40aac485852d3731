using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains;
using Sessions.Grains.Fencing;

namespace Sessions.Silo.Database;

/// <summary>Orleans' ADO.NET clustering and grain storage on a PostgreSQL database migrated by <see cref="DatabaseMigrator"/>.</summary>
internal static class PostgresSiloBuilderExtensions
{
    /// <summary>Membership in the database, and the fence's stopped markers next to it.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton<IStoppedSiloMarkers>(services =>
            new PostgresStoppedSiloMarkers(connectionString, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterSettings.Invariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>
    /// Grain storage in the database, serialised with the version-tolerant Orleans serializer like the SQLite storage,
    /// rather than the provider's default JSON, and behind the same circuit breaker: while the database is down,
    /// grain calls that must store fail at once instead of waiting out the driver's timeouts.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, string connectionString) =>
        builder.AddAdoNetGrainStorage(name, options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = ClusterSettings.Invariant;
            storage.ConnectionString = connectionString;
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }))
        .AddGrainStorageCircuitBreaker(name);
}
