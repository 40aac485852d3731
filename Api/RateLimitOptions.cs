namespace Sessions.Api;

/// <summary><c>Sessions:RateLimit</c>: per client IP on the token and registration endpoints, and failed client authentications.</summary>
public sealed class RateLimitOptions
{
    public int TokenRequestsPerMinute { get; set; } = 60;
}
