using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Grains.Fencing;

namespace Sessions.Silo.Health;

/// <summary>A fenced silo refuses every decision, so a load balancer should not send it traffic; the reason says since when.</summary>
internal sealed class FenceHealthCheck(SiloFence fence) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(fence.Reason() is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
}
