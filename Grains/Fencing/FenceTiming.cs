using Orleans.Configuration;

namespace Sessions.Grains.Fencing;

/// <summary>
/// The fence's and the takeover guard's arithmetic (the argument is in the README, "Partitions and the fence").
/// A silo declared dead may go on deciding until its fence closes, F after the sending of its last read that found its
/// row Active; that read came before the declaration. The takeover guard (<see cref="TakeoverGuard"/>) lets no new
/// activation decide for the dead-silo lease L after this silo first saw the declaration, or, if the dead silo left a
/// stopped marker, from the marker's sight plus the answer-transit bound. F &lt; L with a margin. Orleans' own
/// directory lease is kept short: it only has to cover the time the guard needs to learn of a death.
/// </summary>
internal static class FenceTiming
{
    /// <summary>
    /// L when not configured. 40 s, not Orleans' 30, so that F (31.2 s) outlasts a database failover of up to about 27 s:
    /// a silo that cannot read its row fences.
    /// </summary>
    public static readonly TimeSpan DefaultDeadSiloLease = TimeSpan.FromSeconds(40);

    /// <summary>Fixed slack for what is not proportional to time: scheduling between the check and the answer, timer granularity.</summary>
    public static readonly TimeSpan FixedMargin = TimeSpan.FromSeconds(1);

    /// <summary>Below this, reads every F/8 given up after F/16 (125 ms) would time out on an ordinarily busy database.</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a "live" answer may travel from a silo to its API host: the API hosts refuse one that took longer
    /// (Api/Auth/AccessTokenValidator.MaxAnswerAge, the same 5 s). A dead silo's last answers may be in flight this long
    /// after it wrote its stopped marker.
    /// </summary>
    public static readonly TimeSpan AnswerTransit = TimeSpan.FromSeconds(5);

    /// <summary>How often the guard looks for stopped markers while a dead silo it waits for has none.</summary>
    public static readonly TimeSpan MarkerPollPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The failure-detection window Orleans subtracts from <see cref="GrainDirectoryOptions.RangeLeaseDuration"/>.</summary>
    public static TimeSpan FailureDetection(ClusterMembershipOptions membership) =>
        membership.MaxProbeTimeout * membership.NumMissedProbesLimit;

    /// <summary>How long Orleans' directory holds a declared-dead silo's grains (DistributedGrainDirectory.CalculateDeadSiloLeaseDuration).</summary>
    public static TimeSpan DirectoryLease(ClusterMembershipOptions membership, GrainDirectoryOptions directory)
    {
        var lease = directory.RangeLeaseDuration - FailureDetection(membership);
        return lease > TimeSpan.Zero ? lease : TimeSpan.Zero;
    }

    /// <summary>
    /// The longest safe fence for a dead-silo lease: (lease − 1 s) × 0.8. The fifth covers clock-rate differences
    /// between this silo's monotonic clock and the survivors' (ppm in practice, a few percent under a starved VM), a GC
    /// pause between the fence check and the answer, and an answer still in flight to its API host.
    /// </summary>
    public static TimeSpan LongestFence(TimeSpan deadSiloLease) =>
        deadSiloLease > FixedMargin ? TimeSpan.FromTicks((deadSiloLease - FixedMargin).Ticks / 5 * 4) : TimeSpan.Zero;

    /// <summary>
    /// How recent the guard's last membership read must be, relative to an activation's first call, for that activation
    /// to decide: a read period, a read's timeout, and the fixed margin. In steady state the last completed read is
    /// always that recent.
    /// </summary>
    public static TimeSpan Freshness(TimeSpan fence) => ReadPeriod(fence) + ReadTimeout(fence) + FixedMargin;

    /// <summary>
    /// The shortest Orleans directory lease that still covers the guard: a replacement activation can register no
    /// sooner than this after the directory saw the declaration, and by then the guard must hold a read sent after the
    /// declaration. Freshness × 1.25 (the same fifth for clock rates as F), rounded up to whole seconds.
    /// </summary>
    public static TimeSpan ShortestDirectoryLease(TimeSpan fence) =>
        TimeSpan.FromSeconds(Math.Ceiling(Freshness(fence).TotalSeconds * 1.25));

    /// <summary>The range lease this project sets when none is configured: detection plus the shortest directory lease.</summary>
    public static TimeSpan RangeLeaseDurationFor(ClusterMembershipOptions membership, TimeSpan fence) =>
        FailureDetection(membership) + ShortestDirectoryLease(fence);

    /// <summary>F and L: F the configured duration if safe, else the longest safe one; zero with a reason if no setting is safe.</summary>
    public static (TimeSpan Duration, TimeSpan DeadSiloLease, string? Failure) Resolve(
        TimeSpan? configured, TimeSpan? configuredLease, ClusterMembershipOptions membership, GrainDirectoryOptions directory)
    {
        var lease = configuredLease ?? DefaultDeadSiloLease;
        var longest = LongestFence(lease);
        if (longest < MinimumDuration)
            return (TimeSpan.Zero, lease, $"Cluster:Fence:DeadSiloLease ({lease}) leaves a fence of (lease − {FixedMargin}) × 0.8 = {longest}; " +
                $"the fence needs at least {MinimumDuration}. Raise Cluster:Fence:DeadSiloLease.");
        var duration = configured ?? longest;
        if (duration < MinimumDuration)
            return (TimeSpan.Zero, lease, $"Cluster:Fence:Duration ({duration}) must be at least {MinimumDuration}.");
        if (duration > longest)
            return (TimeSpan.Zero, lease, $"Cluster:Fence:Duration ({duration}) is longer than the longest safe fence {longest} for the dead-silo lease " +
                $"Cluster:Fence:DeadSiloLease ({lease}): F must stay within (lease − {FixedMargin}) × 0.8. Shorten Cluster:Fence:Duration or raise Cluster:Fence:DeadSiloLease.");
        var directoryLease = DirectoryLease(membership, directory);
        var needed = ShortestDirectoryLease(duration);
        if (directoryLease < needed)
            return (TimeSpan.Zero, lease, $"GrainDirectoryOptions.RangeLeaseDuration ({directory.RangeLeaseDuration}) − ClusterMembershipOptions.MaxProbeTimeout " +
                $"({membership.MaxProbeTimeout}) × NumMissedProbesLimit ({membership.NumMissedProbesLimit}) leaves a directory lease of {directoryLease}; " +
                $"the takeover guard needs at least {needed} (its read freshness {Freshness(duration)} × 1.25) to learn of a death before a " +
                "replacement can register. Raise Cluster:Directory:RangeLeaseDuration (or leave it unset).");
        return (duration, lease, null);
    }

    /// <summary>
    /// How often the silo reads the membership table: seven more chances to confirm within every F, so a database outage
    /// fences no sooner than 7/8 F after it began. One small read per silo every few seconds costs nothing.
    /// </summary>
    public static TimeSpan ReadPeriod(TimeSpan fence) => fence / 8;

    /// <summary>Each read is given up after this, well within a period, so a hung read never delays the next.</summary>
    public static TimeSpan ReadTimeout(TimeSpan fence) => fence / 16;
}
