using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Api.Auth;

/// <summary>A host whose key copy is past its lease refuses every token, so it is not ready to serve.</summary>
internal sealed class KeyRingHealthCheck(SigningKeyStore keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.IsFresh
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The signing keys have not been confirmed by the cluster within their lease."));
}
