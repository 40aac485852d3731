namespace Sessions.Grains;

/// <summary>The <c>Sessions</c> configuration section, shared by silos and API hosts.</summary>
public sealed class SessionsOptions
{
    public const string SectionName = "Sessions";

    public string? Issuer { get; set; }

    public string Audience { get; set; } = "sessions-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    public int MaxSessionsPerUser { get; set; } = 50;

    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(10);

    public bool AllowRegistration { get; set; } = true;

    /// <summary>How long an API host trusts its copy of the public keys without hearing from the key ring.</summary>
    public TimeSpan KeyRingLease { get; set; } = TimeSpan.FromSeconds(10);

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();

    public PasswordHashingOptions PasswordHashing { get; set; } = new();

    public StorageResilienceOptions Storage { get; set; } = new();

    /// <summary>
    /// How many verified access tokens an API host remembers, so each token's ES256 signature is checked once per host.
    /// Each entry costs about 5 KB (the parsed token and its claims), so the default bounds it near 100 MB; 0 turns it off.
    /// </summary>
    public int VerifiedTokenCacheSize { get; set; } = 20_000;

    /// <summary>Clock skew allowed on exp/nbf; the contract caps it at 30 s.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Validate()
    {
        if (Issuer is { Length: > 0 } && !Uri.TryCreate(Issuer, UriKind.Absolute, out _))
            yield return "Sessions:Issuer must be an absolute URI.";
        if (string.IsNullOrWhiteSpace(Audience))
            yield return "Sessions:Audience must not be empty.";
        if (AccessTokenLifetime < TimeSpan.FromSeconds(30) || AccessTokenLifetime > TimeSpan.FromDays(1))
            yield return "Sessions:AccessTokenLifetime must be between 30 seconds and 1 day.";
        if (IdleTimeout < TimeSpan.FromSeconds(30))
            yield return "Sessions:IdleTimeout must be at least 30 seconds.";
        if (AbsoluteLifetime < IdleTimeout)
            yield return "Sessions:AbsoluteLifetime must not be shorter than Sessions:IdleTimeout.";
        if (MaxSessionsPerUser is < 1 or > 10_000)
            yield return "Sessions:MaxSessionsPerUser must be between 1 and 10000.";
        if (RefreshReuseGrace < TimeSpan.Zero || RefreshReuseGrace > TimeSpan.FromMinutes(5))
            yield return "Sessions:RefreshReuseGrace must be between 0 and 5 minutes.";
        if (KeyRingLease < TimeSpan.FromMilliseconds(100) || KeyRingLease > TimeSpan.FromSeconds(20))
            yield return "Sessions:KeyRingLease must be between 100 ms and 20 s (a key change may wait out one lease inside a 30 s call).";
        if (Lockout.MaxFailures < 1)
            yield return "Sessions:Lockout:MaxFailures must be at least 1.";
        if (Lockout.Duration <= TimeSpan.Zero)
            yield return "Sessions:Lockout:Duration must be positive.";
        if (RateLimit.TokenRequestsPerMinute < 1)
            yield return "Sessions:RateLimit:TokenRequestsPerMinute must be at least 1.";
        if (PasswordHashing.MemoryKiB is < 8 or > 4_194_304)
            yield return "Sessions:PasswordHashing:MemoryKiB must be between 8 and 4194304 (the default, 19456, is OWASP's minimum for deployments).";
        if (PasswordHashing.Passes is < 1 or > 100)
            yield return "Sessions:PasswordHashing:Passes must be between 1 and 100.";
        if (PasswordHashing.MaxConcurrent is < 1 or > 1024)
            yield return "Sessions:PasswordHashing:MaxConcurrent must be between 1 and 1024.";
        if (PasswordHashing.MaxQueued is < 0 or > 100_000)
            yield return "Sessions:PasswordHashing:MaxQueued must be between 0 and 100000.";
        if (VerifiedTokenCacheSize is < 0 or > 1_000_000)
            yield return "Sessions:VerifiedTokenCacheSize must be between 0 (off) and 1000000.";
        foreach (var failure in Storage.Validate())
            yield return failure;
        if (BootstrapAdmin.Username is { Length: > 0 } && Username.Normalize(BootstrapAdmin.Username) is null)
            yield return "Sessions:BootstrapAdmin:Username is not a valid username.";
    }
}

public sealed class BootstrapAdminOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }
}

public sealed class LockoutOptions
{
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class RateLimitOptions
{
    public int TokenRequestsPerMinute { get; set; } = 60;
}
