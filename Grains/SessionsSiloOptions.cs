using Sessions.Hosting;

namespace Sessions.Grains;

/// <summary>
/// What only a silo reads from the <c>Sessions</c> section: the session rules, password hashing, storage, the first
/// admin, and how the silo process is put together. The token settings it shares with API hosts are
/// <see cref="SessionsTokenOptions"/>.
/// </summary>
public sealed class SessionsSiloOptions : ISettings
{
    public const string SectionName = "Sessions";

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    public int MaxSessionsPerUser { get; set; } = 50;

    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(10);

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();

    public PasswordHashingOptions PasswordHashing { get; set; } = new();

    public StorageResilienceOptions Storage { get; set; } = new();

    /// <summary>The SQLite database and Data Protection keys of the single-process default, relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Whether the silo process also serves the HTTP API.</summary>
    public bool ServeApi { get; set; } = true;

    public SiloDashboardOptions Dashboard { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (IdleTimeout < TimeSpan.FromSeconds(30))
            yield return "Sessions:IdleTimeout must be at least 30 seconds.";
        if (AbsoluteLifetime < IdleTimeout)
            yield return "Sessions:AbsoluteLifetime must not be shorter than Sessions:IdleTimeout.";
        if (MaxSessionsPerUser is < 1 or > 10_000)
            yield return "Sessions:MaxSessionsPerUser must be between 1 and 10000.";
        if (RefreshReuseGrace < TimeSpan.Zero || RefreshReuseGrace > TimeSpan.FromMinutes(5))
            yield return "Sessions:RefreshReuseGrace must be between 0 and 5 minutes.";
        if (Lockout.MaxFailures < 1)
            yield return "Sessions:Lockout:MaxFailures must be at least 1.";
        if (Lockout.Duration <= TimeSpan.Zero)
            yield return "Sessions:Lockout:Duration must be positive.";
        if (PasswordHashing.MemoryKiB is < 8 or > 4_194_304)
            yield return "Sessions:PasswordHashing:MemoryKiB must be between 8 and 4194304 (the default, 19456, is OWASP's minimum for deployments).";
        if (PasswordHashing.Passes is < 1 or > 100)
            yield return "Sessions:PasswordHashing:Passes must be between 1 and 100.";
        if (PasswordHashing.MaxConcurrent is < 1 or > 1024)
            yield return "Sessions:PasswordHashing:MaxConcurrent must be between 1 and 1024.";
        if (PasswordHashing.MaxQueued is < 0 or > 100_000)
            yield return "Sessions:PasswordHashing:MaxQueued must be between 0 and 100000.";
        foreach (var failure in Storage.Validate())
            yield return failure;
        if (BootstrapAdmin.Username is { Length: > 0 } && Username.Normalize(BootstrapAdmin.Username) is null)
            yield return "Sessions:BootstrapAdmin:Username is not a valid username.";
        if (string.IsNullOrWhiteSpace(DataDirectory))
            yield return "Sessions:DataDirectory must not be empty.";
    }
}
