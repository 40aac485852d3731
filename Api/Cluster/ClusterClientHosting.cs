using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Sessions.Api.Http;
using Sessions.Api.Observability;
using Sessions.Grains;

namespace Sessions.Api.Cluster;

/// <summary>The API host as a pure Orleans client, finding gateways through the cluster's membership table.</summary>
public static class ClusterClientHosting
{
    public static WebApplicationBuilder AddSessionsClusterClient(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.Read(configuration);
        // Start Kestrel beside the client instead of after it, so the host answers 503 while no silo is up.
        builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);
        var readiness = new ClusterReadiness();
        builder.Services.AddSingleton(readiness);
        builder.Services.AddHealthChecks().AddCheck<ClusterConnectionHealthCheck>("cluster", tags: [Endpoints.HealthEndpoints.ReadyTag]);
        builder.UseOrleansClient(client =>
        {
            client.Services.AddSingleton<ILifecycleParticipant<IClusterClientLifecycle>>(readiness);
            client.Services.Replace(ServiceDescriptor.Singleton<IClientConnectionRetryFilter>(readiness));
            client.AddClusterConnectionStatusObserver(readiness);
            // Re-read the gateway list often enough that a heal (or a restarted silo) is noticed within seconds, not a minute.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod);
            client.UseSessionsClustering(cluster);
            // Grain calls join the request's trace; only with traces on, as the filters run on every call.
            if (Observability.TelemetryOptions.Read(configuration).Traces)
                client.AddActivityPropagation();
        });
        return builder;
    }

    /// <summary>Finds the gateways the way the silos are configured: PostgreSQL membership, or the local silo's gateway port.</summary>
    public static IClientBuilder UseSessionsClustering(this IClientBuilder client, ClusterSettings cluster)
    {
        if (!cluster.UsesPostgres)
            return client.UseLocalhostClustering(cluster.GatewayPort);
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        return client.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterSettings.Invariant;
            options.ConnectionString = cluster.PostgresConnectionString;
        });
    }

    /// <summary>Answers 503 for everything but the health endpoints and metrics while the client has not connected yet.</summary>
    public static WebApplication UseClusterReadinessGate(this WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<ClusterReadiness>();
        app.Use(async (context, next) =>
        {
            if (readiness.IsConnected || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments(ManagementHosting.MetricsPath))
            {
                await next(context);
                return;
            }
            await Problems.ServiceUnavailable(context);
        });
        return app;
    }
}
