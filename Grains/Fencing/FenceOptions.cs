namespace Sessions.Grains.Fencing;

/// <summary>The <c>Cluster:Fence</c> section. Empty by default: the fence's duration is computed from the membership and directory timings.</summary>
public sealed class FenceOptions
{
    public const string SectionName = "Cluster:Fence";

    /// <summary>
    /// A shorter fence than the computed one (never a longer one: start-up refuses that). Shorter stops an isolated silo
    /// sooner, but a database that does not answer for that long then stops every silo too.
    /// </summary>
    public TimeSpan? Duration { get; set; }
}
