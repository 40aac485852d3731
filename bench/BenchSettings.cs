namespace Sessions.Bench;

/// <summary>How long and how hard each configuration is driven.</summary>
internal sealed record BenchSettings(
    bool Quick,
    int Users,
    int Connections,
    TimeSpan Duration,
    TimeSpan WarmUpProbe,
    TimeSpan RevocationRun,
    int FillerRows)
{
    // --quick: the whole run (five configurations) in well under five minutes on two shared cores.
    public static BenchSettings ForQuick() => new(true, Users: 64, Connections: 32, Duration: TimeSpan.FromSeconds(8),
        WarmUpProbe: TimeSpan.FromSeconds(5), RevocationRun: TimeSpan.FromSeconds(5), FillerRows: 10_000);

    public static BenchSettings ForFull() => new(false, Users: 256, Connections: 32, Duration: TimeSpan.FromSeconds(30),
        WarmUpProbe: TimeSpan.FromSeconds(15), RevocationRun: TimeSpan.FromSeconds(10), FillerRows: 100_000);

    /// <summary>How long any one start-up may take before the configuration is given up.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);
}
