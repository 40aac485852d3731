using Sessions.Hosting;

namespace Sessions.Silo.Database;

/// <summary>Orleans' ADO.NET clustering on a PostgreSQL database migrated by <see cref="DatabaseMigrator"/>.</summary>
internal static class PostgresClustering
{
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString) =>
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterSettings.Invariant;
            options.ConnectionString = connectionString;
        });
}
