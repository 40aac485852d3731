namespace Sessions.Grains;

/// <summary>
/// The service key of the clock that session rules use. Orleans takes the unkeyed <see cref="TimeProvider"/> for its own
/// timers, so tests move this one (a FakeTimeProvider) without stopping the runtime.
/// </summary>
public static class SessionsClock
{
    public const string Key = "Sessions.Clock";
}
