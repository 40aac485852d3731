namespace Sessions.Bench;

/// <summary>Memory per live session: one fresh single-process silo, sessions created over HTTP, grains kept active.</summary>
internal sealed class MemoryResult
{
    public string HowStarted { get; set; } = "";

    public int PasswordIterations { get; set; }

    public List<MemoryPoint> Points { get; } = [];

    /// <summary>Live-session counts read back through the admin API for a few users of each mix.</summary>
    public List<string> SpotChecks { get; } = [];

    public List<string> Notes { get; } = [];

    public string? Error { get; set; }
}
