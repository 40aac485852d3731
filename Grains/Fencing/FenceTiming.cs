using Orleans.Configuration;

namespace Sessions.Grains.Fencing;

/// <summary>
/// The fence's arithmetic (the argument is in the README, "Partitions and the fence"). Orleans' distributed directory
/// keeps a silo's grains from re-activating elsewhere for a dead-silo lease after the survivors see it declared dead:
/// <c>RangeLeaseDuration − MaxProbeTimeout × NumMissedProbesLimit</c>, measured by the survivors from the moment they
/// see the declaration. A declaration is a write to the membership table, so it comes after every read that still
/// found the row Active; a silo that stops deciding within F of the sending of such a read stops before that lease
/// can run out, as long as F is shorter than the lease with a margin.
/// </summary>
internal static class FenceTiming
{
    /// <summary>
    /// The dead-silo lease this project raises Orleans' directory to when its own timings leave less. 40 s, not Orleans'
    /// 30, so that F (31.2 s) outlasts a database failover of up to about 27 s: a silo that cannot read its row fences.
    /// </summary>
    public static readonly TimeSpan MinimumDeadSiloLease = TimeSpan.FromSeconds(40);

    /// <summary>Fixed slack for what is not proportional to time: scheduling between the check and the answer, timer granularity.</summary>
    public static readonly TimeSpan FixedMargin = TimeSpan.FromSeconds(1);

    /// <summary>Below this, reads every F/8 given up after F/16 (125 ms) would time out on an ordinarily busy database.</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromSeconds(2);

    /// <summary>The failure-detection window Orleans subtracts from <see cref="GrainDirectoryOptions.RangeLeaseDuration"/>.</summary>
    public static TimeSpan FailureDetection(ClusterMembershipOptions membership) =>
        membership.MaxProbeTimeout * membership.NumMissedProbesLimit;

    /// <summary>How long the survivors hold a declared-dead silo's grains (Orleans' DistributedGrainDirectory.CalculateDeadSiloLeaseDuration).</summary>
    public static TimeSpan DeadSiloLease(ClusterMembershipOptions membership, GrainDirectoryOptions directory)
    {
        var lease = directory.RangeLeaseDuration - FailureDetection(membership);
        return lease > TimeSpan.Zero ? lease : TimeSpan.Zero;
    }

    /// <summary>The range lease that leaves <see cref="MinimumDeadSiloLease"/> after failure detection.</summary>
    public static TimeSpan RangeLeaseDurationFor(ClusterMembershipOptions membership) => FailureDetection(membership) + MinimumDeadSiloLease;

    /// <summary>
    /// The longest safe fence for a dead-silo lease: (lease − 1 s) × 0.8. The fifth covers clock-rate differences
    /// between this silo's monotonic clock and the survivors' (ppm in practice, a few percent under a starved VM), a GC
    /// pause between the fence check and the answer, and an answer still in flight to its API host.
    /// </summary>
    public static TimeSpan LongestFence(TimeSpan deadSiloLease) =>
        deadSiloLease > FixedMargin ? TimeSpan.FromTicks((deadSiloLease - FixedMargin).Ticks / 5 * 4) : TimeSpan.Zero;

    /// <summary>F: the configured duration if it is safe, else the longest safe one; null with a reason if no F is safe.</summary>
    public static (TimeSpan Duration, string? Failure) Resolve(TimeSpan? configured, ClusterMembershipOptions membership, GrainDirectoryOptions directory)
    {
        var lease = DeadSiloLease(membership, directory);
        var longest = LongestFence(lease);
        var timings = $"GrainDirectoryOptions.RangeLeaseDuration ({directory.RangeLeaseDuration}) − ClusterMembershipOptions.MaxProbeTimeout " +
            $"({membership.MaxProbeTimeout}) × NumMissedProbesLimit ({membership.NumMissedProbesLimit}) leaves a dead-silo lease of {lease}";
        if (longest < MinimumDuration)
            return (TimeSpan.Zero, $"{timings}; the fence needs (lease − {FixedMargin}) × 0.8 ≥ {MinimumDuration}. " +
                "Raise Cluster:Directory:RangeLeaseDuration or shorten Cluster:Membership:ProbeTimeout / NumMissedProbesLimit.");
        if (configured is not { } duration)
            return (longest, null);
        if (duration < MinimumDuration)
            return (TimeSpan.Zero, $"Cluster:Fence:Duration ({duration}) must be at least {MinimumDuration}.");
        if (duration > longest)
            return (TimeSpan.Zero, $"Cluster:Fence:Duration ({duration}) is longer than the longest safe fence {longest}: {timings}, " +
                $"and F must stay within (lease − {FixedMargin}) × 0.8. Shorten Cluster:Fence:Duration or raise Cluster:Directory:RangeLeaseDuration.");
        return (duration, null);
    }

    /// <summary>
    /// How often the silo reads its own row: seven more chances to confirm within every F, so a database outage
    /// fences no sooner than 7/8 F after it began. One indexed row read per silo every few seconds costs nothing.
    /// </summary>
    public static TimeSpan ReadPeriod(TimeSpan fence) => fence / 8;

    /// <summary>Each read is given up after this, well within a period, so a hung read never delays the next.</summary>
    public static TimeSpan ReadTimeout(TimeSpan fence) => fence / 16;
}
