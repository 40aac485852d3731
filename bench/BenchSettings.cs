namespace Sessions.Bench;

/// <summary>How long and how hard each configuration is driven.</summary>
internal sealed record BenchSettings(
    bool Quick,
    int Users,
    int Connections,
    TimeSpan Duration,
    TimeSpan WarmUpProbe,
    TimeSpan RevocationRun,
    int FillerRows,
    TimeSpan TokenRun,
    int[] MemoryCheckpoints,
    int RefreshedSessions,
    int SingleSessionUsers,
    int Rounds,
    TimeSpan RoundDuration)
{
    /// <summary>Servers of the rounds on one core, wrk on the other (<c>--no-pin</c> turns it off).</summary>
    public bool Pin { get; init; }

    /// <summary>Closed-loop workers (each its own user) for the password-grant run; PBKDF2 is CPU-bound, more would only queue.</summary>
    public const int LoginWorkers = 8;

    /// <summary>Closed-loop workers (each its own user and session) for the refresh-grant run.</summary>
    public const int RefreshWorkers = 16;

    /// <summary>Sessions per user in the memory run's main mix: the default <c>Sessions:MaxSessionsPerUser</c>.</summary>
    public const int SessionsPerUser = 50;

    /// <summary>
    /// Rotations per session in the memory run's refreshed mix: one more than the spent hashes a session keeps
    /// (<c>SessionState.SpentHistory</c>, 8), so each holds a full history, as a session used for an hour does.
    /// </summary>
    public const int RefreshesPerSession = 9;

    /// <summary>Requests in flight while the memory run creates users and sessions.</summary>
    public const int CreateWorkers = 32;

    // --quick: the whole run (every configuration) in under five minutes on two shared cores.
    public static BenchSettings ForQuick() => new(true, Users: 64, Connections: 32, Duration: TimeSpan.FromSeconds(8),
        WarmUpProbe: TimeSpan.FromSeconds(5), RevocationRun: TimeSpan.FromSeconds(5), FillerRows: 10_000,
        TokenRun: TimeSpan.FromSeconds(8), MemoryCheckpoints: [100_000], RefreshedSessions: 2_000, SingleSessionUsers: 10_000,
        Rounds: 3, RoundDuration: TimeSpan.FromSeconds(5));

    public static BenchSettings ForFull() => new(false, Users: 256, Connections: 32, Duration: TimeSpan.FromSeconds(30),
        WarmUpProbe: TimeSpan.FromSeconds(15), RevocationRun: TimeSpan.FromSeconds(10), FillerRows: 100_000,
        TokenRun: TimeSpan.FromSeconds(20), MemoryCheckpoints: [100_000, 1_000_000], RefreshedSessions: 2_000, SingleSessionUsers: 100_000,
        Rounds: 5, RoundDuration: TimeSpan.FromSeconds(15));

    /// <summary>One unmeasured wrk run per row before the rounds, so no row's first round pays its path's JIT.</summary>
    public static readonly TimeSpan RowWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>How long any one start-up may take before the configuration is given up.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);
}
