using Orleans.Configuration;
using Sessions.Grains.Fencing;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// F for the project's cluster-test timings (ProbeTimeout 1 s, NumMissedProbesLimit 2) and for Orleans' defaults
/// (ProbeTimeout 5 s, NumMissedProbesLimit 3), worked out by hand: failure detection = MaxProbeTimeout (4 × ProbeTimeout)
/// × NumMissedProbesLimit; dead-silo lease = RangeLeaseDuration − detection; F = (lease − 1 s) × 0.8.
/// </summary>
public sealed class FenceTimingTests
{
    private static ClusterMembershipOptions TestTimings() => new()
    {
        ProbeTimeout = TimeSpan.FromSeconds(1),
        NumMissedProbesLimit = 2,
        IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5),
        TableRefreshTimeout = TimeSpan.FromSeconds(2),
    };

    private static GrainDirectoryOptions Directory(double rangeLeaseSeconds) => new() { RangeLeaseDuration = TimeSpan.FromSeconds(rangeLeaseSeconds) };

    [Fact]
    public void DeadSiloLease_TestTimingsWithOrleansDefaultRangeLease_Is22Seconds() =>
        // 30 s − 4 s × 2: what the partition runs saw ("a lease (~22 s)").
        Assert.Equal(TimeSpan.FromSeconds(22), FenceTiming.DeadSiloLease(TestTimings(), new GrainDirectoryOptions()));

    [Fact]
    public void DeadSiloLease_OrleansDefaults_IsZero() =>
        // 30 s − 20 s × 3 < 0: Orleans' own defaults give no lease at all.
        Assert.Equal(TimeSpan.Zero, FenceTiming.DeadSiloLease(new ClusterMembershipOptions(), new GrainDirectoryOptions()));

    [Fact]
    public void RangeLeaseDurationFor_TestTimings_Is48Seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(48), FenceTiming.RangeLeaseDurationFor(TestTimings()));

    [Fact]
    public void RangeLeaseDurationFor_OrleansDefaults_Is100Seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(100), FenceTiming.RangeLeaseDurationFor(new ClusterMembershipOptions()));

    [Fact]
    public void Resolve_TestTimingsWithRaisedLease_Is31Point2Seconds()
    {
        var (duration, failure) = FenceTiming.Resolve(null, TestTimings(), Directory(48));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(31.2), duration);
    }

    [Fact]
    public void Resolve_OrleansDefaultsWithRaisedLease_Is31Point2Seconds()
    {
        var (duration, failure) = FenceTiming.Resolve(null, new ClusterMembershipOptions(), Directory(100));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(31.2), duration);
    }

    [Fact]
    public void Resolve_TestTimingsWithOrleansDefaultRangeLease_Is16Point8Seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(16.8), FenceTiming.Resolve(null, TestTimings(), new GrainDirectoryOptions()).Duration);

    [Fact]
    public void Resolve_OrleansDefaultsWithOrleansDefaultRangeLease_FailsNamingTheSettings()
    {
        var (_, failure) = FenceTiming.Resolve(null, new ClusterMembershipOptions(), new GrainDirectoryOptions());

        Assert.NotNull(failure);
        Assert.Contains("dead-silo lease of 00:00:00", failure);
        Assert.Contains("Cluster:Directory:RangeLeaseDuration", failure);
        Assert.Contains("Cluster:Membership:ProbeTimeout", failure);
    }

    [Fact]
    public void Resolve_ShorterConfiguredDuration_IsUsed() =>
        Assert.Equal(TimeSpan.FromSeconds(5), FenceTiming.Resolve(TimeSpan.FromSeconds(5), TestTimings(), Directory(38)).Duration);

    [Fact]
    public void Resolve_ConfiguredDurationEqualToLongest_IsUsed() =>
        Assert.Equal(TimeSpan.FromSeconds(23.2), FenceTiming.Resolve(TimeSpan.FromSeconds(23.2), TestTimings(), Directory(38)).Duration);

    [Fact]
    public void Resolve_ConfiguredDurationBeyondLongest_FailsNamingTheSettings()
    {
        var (_, failure) = FenceTiming.Resolve(TimeSpan.FromSeconds(23.3), TestTimings(), Directory(38));

        Assert.NotNull(failure);
        Assert.Contains("Cluster:Fence:Duration (00:00:23.3000000)", failure);
        Assert.Contains("00:00:23.2000000", failure);
        Assert.Contains("Cluster:Directory:RangeLeaseDuration", failure);
    }

    [Fact]
    public void Resolve_ConfiguredDurationUnderTwoSeconds_Fails() =>
        Assert.Contains("at least 00:00:02", FenceTiming.Resolve(TimeSpan.FromSeconds(1.5), TestTimings(), Directory(38)).Failure);

    [Fact]
    public void ReadPeriodAndTimeout_FenceOf23Point2Seconds_Are2Point9And1Point45Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.9), FenceTiming.ReadPeriod(TimeSpan.FromSeconds(23.2)));
        Assert.Equal(TimeSpan.FromSeconds(1.45), FenceTiming.ReadTimeout(TimeSpan.FromSeconds(23.2)));
    }

    [Fact]
    public void ReadPeriodAndTimeout_DefaultFenceOf31Point2Seconds_Are3Point9And1Point95Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(3.9), FenceTiming.ReadPeriod(TimeSpan.FromSeconds(31.2)));
        Assert.Equal(TimeSpan.FromSeconds(1.95), FenceTiming.ReadTimeout(TimeSpan.FromSeconds(31.2)));
    }
}
