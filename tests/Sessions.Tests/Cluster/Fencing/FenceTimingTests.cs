using Orleans.Configuration;
using Sessions.Grains.Fencing;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// F, L and the directory lease for the project's cluster-test timings (ProbeTimeout 1 s, NumMissedProbesLimit 2) and
/// for Orleans' defaults (ProbeTimeout 5 s, NumMissedProbesLimit 3), worked out by hand: failure detection =
/// MaxProbeTimeout (4 × ProbeTimeout) × NumMissedProbesLimit; F = (L − 1 s) × 0.8 with L 40 s unless configured;
/// the guard's read freshness = F/8 + F/16 + 1 s; the shortest directory lease = freshness × 1.25, rounded up to seconds.
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
    public void DirectoryLease_TestTimingsWithOrleansDefaultRangeLease_Is22Seconds() =>
        // 30 s − 4 s × 2.
        Assert.Equal(TimeSpan.FromSeconds(22), FenceTiming.DirectoryLease(TestTimings(), new GrainDirectoryOptions()));

    [Fact]
    public void DirectoryLease_OrleansDefaults_IsZero() =>
        // 30 s − 20 s × 3 < 0: Orleans' own defaults give no lease at all.
        Assert.Equal(TimeSpan.Zero, FenceTiming.DirectoryLease(new ClusterMembershipOptions(), new GrainDirectoryOptions()));

    [Fact]
    public void Freshness_DefaultFence_Is6Point85Seconds() =>
        // 3.9 s + 1.95 s + 1 s.
        Assert.Equal(TimeSpan.FromSeconds(6.85), FenceTiming.Freshness(TimeSpan.FromSeconds(31.2)));

    [Fact]
    public void ShortestDirectoryLease_DefaultFence_Is9Seconds() =>
        // 6.85 s × 1.25 = 8.5625 s, rounded up.
        Assert.Equal(TimeSpan.FromSeconds(9), FenceTiming.ShortestDirectoryLease(TimeSpan.FromSeconds(31.2)));

    [Fact]
    public void RangeLeaseDurationFor_TestTimings_Is17Seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(17), FenceTiming.RangeLeaseDurationFor(TestTimings(), TimeSpan.FromSeconds(31.2)));

    [Fact]
    public void RangeLeaseDurationFor_OrleansDefaults_Is69Seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(69), FenceTiming.RangeLeaseDurationFor(new ClusterMembershipOptions(), TimeSpan.FromSeconds(31.2)));

    [Fact]
    public void Resolve_TestTimingsWithTheSetDirectoryLease_IsF31Point2AndL40Seconds()
    {
        var (duration, lease, failure) = FenceTiming.Resolve(null, null, TestTimings(), Directory(17));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(31.2), duration);
        Assert.Equal(TimeSpan.FromSeconds(40), lease);
    }

    [Fact]
    public void Resolve_OrleansDefaultsWithTheSetDirectoryLease_IsF31Point2Seconds()
    {
        var (duration, _, failure) = FenceTiming.Resolve(null, null, new ClusterMembershipOptions(), Directory(69));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(31.2), duration);
    }

    [Fact]
    public void Resolve_DirectoryLeaseOneSecondShort_FailsNamingTheSetting()
    {
        // 16 s − 8 s = 8 s < 9 s.
        var (_, _, failure) = FenceTiming.Resolve(null, null, TestTimings(), Directory(16));

        Assert.NotNull(failure);
        Assert.Contains("directory lease of 00:00:08", failure);
        Assert.Contains("at least 00:00:09", failure);
        Assert.Contains("Cluster:Directory:RangeLeaseDuration", failure);
    }

    [Fact]
    public void Resolve_OrleansDefaultsWithOrleansDefaultRangeLease_FailsNamingTheSetting()
    {
        var (_, _, failure) = FenceTiming.Resolve(null, null, new ClusterMembershipOptions(), new GrainDirectoryOptions());

        Assert.NotNull(failure);
        Assert.Contains("directory lease of 00:00:00", failure);
        Assert.Contains("Cluster:Directory:RangeLeaseDuration", failure);
    }

    [Fact]
    public void Resolve_ConfiguredDeadSiloLeaseOf20Seconds_IsF15Point2Seconds()
    {
        // (20 s − 1 s) × 0.8; its directory lease needs (1.9 + 0.95 + 1) × 1.25 = 4.8125 → 5 s ≤ 17 s − 8 s.
        var (duration, lease, failure) = FenceTiming.Resolve(null, TimeSpan.FromSeconds(20), TestTimings(), Directory(17));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromSeconds(15.2), duration);
        Assert.Equal(TimeSpan.FromSeconds(20), lease);
    }

    [Fact]
    public void Resolve_DeadSiloLeaseOf3Seconds_FailsNamingTheSetting() =>
        // (3 s − 1 s) × 0.8 = 1.6 s < 2 s.
        Assert.Contains("Cluster:Fence:DeadSiloLease (00:00:03)", FenceTiming.Resolve(null, TimeSpan.FromSeconds(3), TestTimings(), Directory(17)).Failure);

    [Fact]
    public void Resolve_ShorterConfiguredDuration_IsUsed() =>
        Assert.Equal(TimeSpan.FromSeconds(5), FenceTiming.Resolve(TimeSpan.FromSeconds(5), null, TestTimings(), Directory(17)).Duration);

    [Fact]
    public void Resolve_ConfiguredDurationEqualToLongest_IsUsed() =>
        Assert.Equal(TimeSpan.FromSeconds(31.2), FenceTiming.Resolve(TimeSpan.FromSeconds(31.2), null, TestTimings(), Directory(17)).Duration);

    [Fact]
    public void Resolve_ConfiguredDurationBeyondLongest_FailsNamingTheSettings()
    {
        var (_, _, failure) = FenceTiming.Resolve(TimeSpan.FromSeconds(31.3), null, TestTimings(), Directory(17));

        Assert.NotNull(failure);
        Assert.Contains("Cluster:Fence:Duration (00:00:31.3000000)", failure);
        Assert.Contains("00:00:31.2000000", failure);
        Assert.Contains("Cluster:Fence:DeadSiloLease", failure);
    }

    [Fact]
    public void Resolve_ConfiguredDurationUnderTwoSeconds_Fails() =>
        Assert.Contains("at least 00:00:02", FenceTiming.Resolve(TimeSpan.FromSeconds(1.5), null, TestTimings(), Directory(17)).Failure);

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
