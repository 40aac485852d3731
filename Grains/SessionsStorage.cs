namespace Sessions.Grains;

/// <summary>The name of the grain storage every Sessions grain persists to.</summary>
public static class SessionsStorage
{
    public const string Name = "sessions";

    /// <summary>
    /// The key of the <see cref="TimeProvider"/> that times storage calls and the circuit breaker around them: real
    /// time, unlike the session clock; tests replace it.
    /// </summary>
    public const string ClockKey = "Sessions.StorageClock";
}
