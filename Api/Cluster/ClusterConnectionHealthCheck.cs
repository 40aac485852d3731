using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Api.Cluster;

internal sealed class ClusterConnectionHealthCheck(ClusterReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Not connected to the cluster yet."));
}
