using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// The real silo host, co-hosting the HTTP API, in the clustered topology: membership, grain state and Data
/// Protection keys in the given PostgreSQL database, with the project's cluster-test membership timings.
/// </summary>
public sealed class ClusteredSiloApp(string connectionString, IReadOnlyDictionary<string, string?> overrides) : WebApplicationFactory<Silo.Program>
{
    public SessionsClient NewClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Postgres",
            ["ConnectionStrings:Sessions"] = connectionString,
            ["Cluster:ClusterId"] = "fence-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:AdvertisedIP"] = "127.0.0.1",
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
            ["Cluster:Membership:NumMissedProbesLimit"] = "2",
            ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
            ["Sessions:Issuer"] = SessionsApp.Issuer,
            ["Sessions:BootstrapAdmin:Username"] = SessionsApp.AdminUsername,
            ["Sessions:BootstrapAdmin:Password"] = SessionsApp.AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides)
            settings[key] = value;
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}
