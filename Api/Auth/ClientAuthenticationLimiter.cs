using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Sessions.Api.Http;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// Brute-force protection for resource-server secrets on <c>POST /oauth/introspect</c>: failed client
/// authentications are counted per client address (<c>Sessions:RateLimit:TokenRequestsPerMinute</c> per minute,
/// as for the other credential-checking endpoints). Once an address has used them up, no client credential from it
/// is checked until the window ends, the right one included. Successful introspections are never counted: a resource
/// server introspects on every request of its users and must not be throttled for it (Keycloak does not either).
/// </summary>
internal sealed class ClientAuthenticationLimiter(IOptions<SessionsApiOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimit.TokenRequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>At most this long until an address that used up its failures may try again: one window.</summary>
    public const int RetryAfterSeconds = 60;

    /// <summary>Whether this client's address has failures left to spend.</summary>
    public bool Allows(HttpContext context) => _failures.GetStatistics(Key(context)) is not { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts one failed client authentication from this client's address.</summary>
    public void Failed(HttpContext context)
    {
        using var _ = _failures.AttemptAcquire(Key(context));
    }

    public void Dispose() => _failures.Dispose();

    private static string Key(HttpContext context) => ClientAddress.Of(context) ?? "unknown";
}
