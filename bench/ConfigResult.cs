namespace Sessions.Bench;

/// <summary>Everything measured for one configuration; what failed is kept as <see cref="Error"/> and the run goes on.</summary>
internal sealed class ConfigResult(string key, string name, string howStarted)
{
    public string Key { get; } = key;

    public string Name { get; } = name;

    public string HowStarted { get; } = howStarted;

    /// <summary>The run shown in the table: the median round by req/s, or the one run of a row that is not alternated.</summary>
    public LoadResult? Load { get; set; }

    /// <summary>Every round's run, in order (empty for a row measured once).</summary>
    public List<LoadResult> Rounds { get; } = [];

    /// <summary>The row this one is compared with (<see cref="Comparison"/>); null for a baseline.</summary>
    public string? BaselineKey { get; set; }

    public Comparison? Comparison { get; set; }

    public WarmUpResult? WarmUp { get; set; }

    public RevocationResult? Revocation { get; set; }

    /// <summary>Register + password login pairs per second while creating the bench's users (PBKDF2, 100,000 iterations each).</summary>
    public double? UserSetupPerSecond { get; set; }

    public double? StartSeconds { get; set; }

    /// <summary>Password grants under closed-loop load (single process only).</summary>
    public TokenLoadResult? Logins { get; set; }

    /// <summary>Refresh grants under closed-loop load (single process only).</summary>
    public TokenLoadResult? Refreshes { get; set; }

    public string? Error { get; set; }

    public List<string> Notes { get; } = [];
}
