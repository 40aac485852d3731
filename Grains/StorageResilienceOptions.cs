namespace Sessions.Grains;

/// <summary>
/// <c>Sessions:Storage</c>: how a silo treats a grain-storage database that does not answer. Each call is given up
/// after <see cref="Timeout"/>; once most recent calls failed, every call fails at once for <see cref="BreakDuration"/>,
/// then one call probes whether the database is back.
/// </summary>
public sealed class StorageResilienceOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate()
    {
        if (Timeout < TimeSpan.FromMilliseconds(100) || Timeout > TimeSpan.FromSeconds(25))
            yield return "Sessions:Storage:Timeout must be between 100 ms and 25 s (a grain call gives up after 30 s).";
        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromMinutes(5))
            yield return "Sessions:Storage:BreakDuration must be between 500 ms and 5 minutes.";
    }
}
