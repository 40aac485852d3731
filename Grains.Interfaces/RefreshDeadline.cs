namespace Sessions.Grains;

/// <summary>
/// The latest moment a refresh may still take effect, set by the API host that sends it and carried in Orleans'
/// <see cref="RequestContext"/>. A refresh held up in a partition can reach the user's grain long after its client was
/// told <c>503</c> and went on refreshing through another host; applied then, it would present a token that is by now
/// two or more rotations old, and end the session as theft. Past the deadline the grain refuses it without effect.
/// Both ends read the real wall clock (never the sessions' clock, which tests move): what is measured is the call's
/// transit, and NTP keeps hosts' clocks far closer than the deadline.
/// </summary>
public static class RefreshDeadline
{
    /// <summary>How long after its sending a refresh may start: well past a healthy call, well short of two client refreshes.</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    private const string Key = "sessions.refresh-deadline";

    /// <summary>Called by the API host just before it sends the refresh.</summary>
    public static void Start() => Start(TimeProvider.System.GetUtcNow());

    /// <summary>The deadline of a refresh sent at <paramref name="sentAt"/>.</summary>
    public static void Start(DateTimeOffset sentAt) => RequestContext.Set(Key, (sentAt + After).UtcTicks);

    /// <summary>True if the refresh being handled carries a deadline that has passed (one sent without a deadline never has).</summary>
    public static bool HasPassed() => RequestContext.Get(Key) is long ticks && TimeProvider.System.GetUtcNow().UtcTicks > ticks;
}
