using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Api.Auth;

namespace Sessions.Api.Cluster;

/// <summary>
/// Ready while the client holds a gateway and the cluster answered its latest key-ring renewal: that renewal, bounded
/// well inside the key lease, is the active check that notices a connection black-holed by a partition.
/// </summary>
internal sealed class ClusterConnectionHealthCheck(ClusterReadiness readiness, SigningKeyStore keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !readiness.IsConnected ? HealthCheckResult.Unhealthy("Not connected to any gateway of the cluster.")
            : keys.LastRenewalFailed ? HealthCheckResult.Unhealthy("The cluster did not answer the latest key-ring renewal in time.")
            : HealthCheckResult.Healthy());
}
