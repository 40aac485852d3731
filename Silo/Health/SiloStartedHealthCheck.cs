using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Silo.Health;

/// <summary>UseOrleans joins the cluster before host start-up completes, so a started, not stopping host is a member.</summary>
internal sealed class SiloStartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The silo has not joined the cluster, or is leaving it."));
}
