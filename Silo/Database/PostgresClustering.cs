using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Grains.Fencing;
using Sessions.Hosting;

namespace Sessions.Silo.Database;

/// <summary>Orleans' ADO.NET clustering on a PostgreSQL database migrated by <see cref="DatabaseMigrator"/>, and the fence's stopped markers next to it.</summary>
internal static class PostgresClustering
{
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
}
