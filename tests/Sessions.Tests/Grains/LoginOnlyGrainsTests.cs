using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>The grains only registration and login need are collected after two idle minutes, not Orleans' fifteen.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class LoginOnlyGrainsTests(ClusterFixture fixture)
{
    [Fact]
    public void UsernameGrain_IdleDeactivationPeriod_IsTwoMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(2), IdlePeriodOf(fixture.Grains.GetGrain<IUsernameGrain>("age-probe").GetGrainId().Type));

    [Fact]
    public void UsernameSkeletonGrain_IdleDeactivationPeriod_IsTwoMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(2), IdlePeriodOf(fixture.Grains.GetGrain<IUsernameSkeletonGrain>("age-probe").GetGrainId().Type));

    [Fact]
    public void UserGrain_IdleDeactivationPeriod_IsNotShortened() =>
        Assert.Null(IdlePeriodOf(fixture.Grains.GetGrain<IUserGrain>(Ids.New()).GetGrainId().Type));

    private TimeSpan? IdlePeriodOf(GrainType type)
    {
        var resolver = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GrainPropertiesResolver>();
        var properties = resolver.GetGrainProperties(type).Properties;
        return properties.TryGetValue(WellKnownGrainTypeProperties.IdleDeactivationPeriod, out var value)
            ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : null;
    }
}
