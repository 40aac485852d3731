using Sessions.Hosting;

namespace Sessions.Api;

/// <summary>
/// What only an API host reads from the <c>Sessions</c> section. The token settings it shares with the silos are
/// <see cref="SessionsTokenOptions"/>; the doors for other APIs have sections of their own (<c>Sessions:ResourceServers</c>,
/// <c>Sessions:Gateway</c>), as do telemetry and the management port.
/// </summary>
public sealed class SessionsApiOptions : ISettings
{
    public const string SectionName = "Sessions";

    /// <summary><c>POST /auth/register</c> open to anyone (else 403).</summary>
    public bool AllowRegistration { get; set; } = true;

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// How many verified access tokens an API host remembers, so each token's ES256 signature is checked once per host.
    /// Each entry costs about 5 KB (the parsed token and its claims), so the default bounds it near 100 MB; 0 turns it off.
    /// </summary>
    public int VerifiedTokenCacheSize { get; set; } = 20_000;

    /// <summary>Serve the Scalar reference at <c>/scalar</c>; unset, only in the Development environment.</summary>
    public bool? ApiReference { get; set; }

    public IEnumerable<string> Validate()
    {
        if (RateLimit.TokenRequestsPerMinute < 1)
            yield return "Sessions:RateLimit:TokenRequestsPerMinute must be at least 1.";
        if (VerifiedTokenCacheSize is < 0 or > 1_000_000)
            yield return "Sessions:VerifiedTokenCacheSize must be between 0 (off) and 1000000.";
    }
}
