using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Sessions.Grains;

/// <summary>
/// How silos and API hosts find each other, by configuration alone: <c>Cluster:Provider</c> is
/// <c>Localhost</c> (the single-process default) or <c>Postgres</c> (membership, grain state and
/// Data Protection keys in the database named by <c>ConnectionStrings:Sessions</c>).
/// </summary>
public static class ClusterSettings
{
    public const string Invariant = "Npgsql";

    public static bool UsesPostgres(IConfiguration configuration) =>
        (configuration["Cluster:Provider"] ?? "Localhost").ToLowerInvariant() switch
        {
            "localhost" => false,
            "postgres" or "postgresql" => true,
            var other => throw new InvalidOperationException($"Cluster:Provider must be Localhost or Postgres, not '{other}'."),
        };

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Sessions") is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException("Cluster:Provider is Postgres but ConnectionStrings:Sessions is not set.");

    public static void Apply(IConfiguration configuration, ClusterOptions options)
    {
        options.ClusterId = configuration["Cluster:ClusterId"] ?? "sessions";
        options.ServiceId = configuration["Cluster:ServiceId"] ?? "sessions";
    }
}
