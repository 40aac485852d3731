using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sessions.Grains.Fencing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>The single-process default has no peers to be taken over by, so it carries no fence at all.</summary>
[Collection(AppCollection.Name)]
public sealed class SingleProcessFenceTests(SessionsApp app)
{
    [Fact]
    public void Services_SingleProcess_HaveNoFence() => Assert.Null(app.Services.GetService<SiloFence>());

    [Fact]
    public void GrainCallFilters_SingleProcess_HaveNoFenceFilter() =>
        Assert.DoesNotContain(app.Services.GetServices<IIncomingGrainCallFilter>(), filter => filter.GetType() == typeof(FenceFilter));

    [Fact]
    public void ReadinessChecks_SingleProcess_HaveNoFenceCheck() =>
        Assert.DoesNotContain(app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "fence");
}
