using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Sessions.Hosting;

/// <summary>
/// How silos and API hosts find each other, from the <c>Cluster</c> section: <see cref="Provider"/> is
/// <c>Localhost</c> (the single-process default) or <c>Postgres</c> (membership, grain state and Data Protection keys
/// in the database named by <c>ConnectionStrings:Sessions</c>). Read before the host is built, as it decides what
/// the host is made of; <see cref="Read"/> fails with every bad key named.
/// </summary>
public sealed class ClusterSettings : ISettings
{
    public const string SectionName = "Cluster";

    /// <summary>The ADO.NET invariant of PostgreSQL's driver, Npgsql.</summary>
    public const string Invariant = "Npgsql";

    public string Provider { get; set; } = "Localhost";

    public string ClusterId { get; set; } = "sessions";

    public string ServiceId { get; set; } = "sessions";

    /// <summary>The address other silos and the API hosts reach this silo at; unset, the host name's first IPv4 address.</summary>
    public string? AdvertisedIP { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>How often an API host re-reads the gateway list, so a healed or restarted silo is noticed within seconds.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>ConnectionStrings:Sessions</c>; required when <see cref="UsesPostgres"/>.</summary>
    public string? ConnectionString { get; set; }

    public bool UsesPostgres => Provider.ToLowerInvariant() is "postgres" or "postgresql";

    /// <summary><see cref="ConnectionString"/>, which <see cref="Validate"/> has checked is set when <see cref="UsesPostgres"/>.</summary>
    public string PostgresConnectionString => ConnectionString ?? throw new InvalidOperationException("Cluster:Provider is not Postgres.");

    public static ClusterSettings Read(IConfiguration configuration)
    {
        var settings = new ClusterSettings();
        configuration.GetSection(SectionName).Bind(settings);
        settings.ConnectionString = configuration.GetConnectionString("Sessions") is { Length: > 0 } connectionString ? connectionString : null;
        var failures = settings.Validate().ToList();
        return failures.Count == 0 ? settings : throw new OptionsValidationException(SectionName, typeof(ClusterSettings), failures);
    }

    public IEnumerable<string> Validate()
    {
        if (Provider.ToLowerInvariant() is not ("localhost" or "postgres" or "postgresql"))
            yield return $"Cluster:Provider must be Localhost or Postgres, not '{Provider}'.";
        else if (UsesPostgres && ConnectionString is null)
            yield return "Cluster:Provider is Postgres but ConnectionStrings:Sessions is not set.";
        if (string.IsNullOrWhiteSpace(ClusterId))
            yield return "Cluster:ClusterId must not be empty.";
        if (string.IsNullOrWhiteSpace(ServiceId))
            yield return "Cluster:ServiceId must not be empty.";
        if (AdvertisedIP is { Length: > 0 } && !IPAddress.TryParse(AdvertisedIP, out _))
            yield return $"Cluster:AdvertisedIP must be an IP address, not '{AdvertisedIP}'.";
        if (SiloPort is < 1 or > 65535)
            yield return "Cluster:SiloPort must be a port number (1-65535).";
        if (GatewayPort is < 1 or > 65535)
            yield return "Cluster:GatewayPort must be a port number (1-65535).";
        if (GatewayListRefreshPeriod <= TimeSpan.Zero)
            yield return "Cluster:GatewayListRefreshPeriod must be positive.";
    }
}
