using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Fencing;
using Sessions.Silo.Health;

namespace Sessions.Tests.Cluster.Fencing;

public sealed class FenceHealthCheckTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly SiloFence _fence;
    private readonly FenceHealthCheck _check;

    public FenceHealthCheckTests()
    {
        _fence = new SiloFence(TimeSpan.FromSeconds(10), _time, NullLogger<SiloFence>.Instance);
        _check = new FenceHealthCheck(_fence);
    }

    [Fact]
    public async Task CheckHealth_Fenced_IsUnhealthyNamingTheFence()
    {
        _fence.Confirm(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(10));

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("This silo is fenced: its membership row was last confirmed Active 10.0 s ago, and a fence lasts 10.0 s.", result.Description);
    }

    [Fact]
    public async Task CheckHealth_Confirmed_IsHealthy()
    {
        _fence.Confirm(_time.GetTimestamp());

        var result = await _check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }
}
