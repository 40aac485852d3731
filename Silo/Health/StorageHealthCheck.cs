using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Storage;

namespace Sessions.Silo.Health;

/// <summary>Reads a probe record through the very grain storage provider the grains use (SQLite or PostgreSQL).</summary>
internal sealed class StorageHealthCheck(IGrainStorage storage) : IHealthCheck
{
    private static readonly GrainId Probe = GrainId.Create("sessions-health", "probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.ReadStateAsync("probe", Probe, new GrainState<bool>());
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Grain storage did not answer.", exception);
        }
    }
}
