namespace Sessions.Grains.Fencing;

/// <summary>The <c>Cluster:Fence</c> section. Empty by default: F and L are computed (README, "Partitions and the fence").</summary>
public sealed class FenceOptions
{
    public const string SectionName = "Cluster:Fence";

    /// <summary>
    /// A shorter fence than the computed one (never a longer one: start-up refuses that). Shorter stops an isolated silo
    /// sooner, but a database that does not answer for that long then stops every silo too.
    /// </summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>
    /// L: how long after this silo first sees another declared dead no new activation here may decide, unless the dead
    /// silo left a stopped marker. F follows from it. Longer tolerates longer database outages and makes the takeover of
    /// an unreachable silo's users slower by as much.
    /// </summary>
    public TimeSpan? DeadSiloLease { get; set; }
}
