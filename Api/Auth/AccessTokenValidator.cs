using System.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Sessions.Api.Observability;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// The per-request decision about an access token, the same for every door: signature and claims (pinned, through
/// the verified-token cache), then the user's grain, which alone says whether the session is live.
/// </summary>
internal sealed partial class AccessTokenValidator(
    SigningKeyStore keys,
    VerifiedTokenCache handler,
    UserGrainReferences users,
    ApiMetrics metrics,
    IOptions<SessionsTokenOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    ILogger<AccessTokenValidator> logger)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// A "live" answer that took longer than this from sending to arrival is not trusted. The silo's fence (README,
    /// "Partitions and the fence") assumes an answer reaches its API host within L − F (8.8 s by default) of the
    /// decision; an answer held up in a partition and delivered after the heal could otherwise be older than that.
    /// </summary>
    internal static readonly TimeSpan MaxAnswerAge = TimeSpan.FromSeconds(5);

    /// <summary>The pinned validation every door uses; JwtBearer is configured with this same object.</summary>
    public TokenValidationParameters Parameters { get; } = SessionsApiExtensions.CreateValidationParameters(options.Value, keys, time);

    /// <summary>
    /// The token of an <c>Authorization: Bearer</c> header, or null when there is none. Several Authorization
    /// headers arrive joined by commas, which no JWT contains, so they fail as a malformed token.
    /// </summary>
    public static string? ReadBearer(HttpRequest request) => TryReadBearer(request, out var token) ? token.ToString() : null;

    /// <summary>
    /// <see cref="ReadBearer"/> without copying the token out of the header: a token the cache remembers is then never
    /// copied at all (a kilobyte per request, in UTF-16).
    /// </summary>
    public static bool TryReadBearer(HttpRequest request, out ReadOnlyMemory<char> token)
    {
        token = default;
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0)
            return false;
        var value = authorization.Count == 1 ? authorization[0]! : authorization.ToString();
        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return false;
        token = value.AsMemory(BearerPrefix.Length).Trim();
        return token.Length > 0;
    }

    /// <summary>The whole decision: the token's signature and claims, then its session in the user's grain.</summary>
    public Task<AccessDecision> ValidateAsync(string token, AccessCheckMode mode, CancellationToken cancellationToken) =>
        ValidateAsync(token.AsMemory(), mode, cancellationToken);

    /// <inheritdoc cref="ValidateAsync(string, AccessCheckMode, CancellationToken)"/>
    public async Task<AccessDecision> ValidateAsync(ReadOnlyMemory<char> token, AccessCheckMode mode, CancellationToken cancellationToken)
    {
        var (claims, rejection) = await VerifyAsync(token, cancellationToken);
        if (claims is null)
            return rejection is null ? AccessDecision.Unavailable : AccessDecision.Reject(rejection);
        AccessCheckResult result;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var user = users.Get(claims.UserId);
            result = mode == AccessCheckMode.Request
                ? await user.CheckAccess(claims.ToCheck(), cancellationToken)
                : await user.Introspect(claims.ToCheck(), cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.CheckAnswered(elapsed);
            if (result.IsLive && elapsed > MaxAnswerAge)
            {
                LogStaleAnswer(logger, elapsed.TotalSeconds);
                metrics.Rejected(ApiMetrics.ClusterUnavailable);
                return AccessDecision.Unavailable;
            }
        }
        catch (Exception exception) when (ClusterUnavailable.Is(exception))
        {
            return Unavailable(exception);
        }
        if (!result.IsLive)
        {
            metrics.Rejected(result.Denial.MetricLabel());
            return AccessDecision.Reject(result.Denial.ProblemDetail());
        }
        metrics.Accepted();
        return AccessDecision.Accept(new SessionAccess(claims.UserId, claims.SessionId, claims.Jti, result.Username!, result.DeviceId!, result.Roles!), claims);
    }

    /// <summary>
    /// Only the signature and claims (no grain call): the claims, or a fixed rejection text, or neither when the
    /// key ring could not be read.
    /// </summary>
    public Task<(AccessTokenClaims? Claims, string? Rejection)> VerifyAsync(string token, CancellationToken cancellationToken) =>
        VerifyAsync(token.AsMemory(), cancellationToken);

    /// <inheritdoc cref="VerifyAsync(string, CancellationToken)"/>
    public async Task<(AccessTokenClaims? Claims, string? Rejection)> VerifyAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        try
        {
            await keys.EnsureFreshAsync(cancellationToken);
        }
        catch (Exception exception) when (ClusterUnavailable.Is(exception))
        {
            Unavailable(exception);
            return (null, null);
        }
        TokenVerification verification;
        try
        {
            verification = await handler.VerifyAsync(token, Parameters);
        }
        catch (ArgumentException exception)
        {
            verification = new TokenVerification(null, exception);
        }
        if (verification.Failure is { } failure)
        {
            LogRejected(logger, failure.GetType().Name);
            metrics.Rejected(ApiMetrics.ReasonOf(failure));
            return (null, Describe(failure));
        }
        if (verification.Claims is not { } claims)
        {
            metrics.Rejected(ApiMetrics.MissingClaims);
            return (null, "The token lacks the sub, sid, jti or iat claim.");
        }
        return (claims, null);
    }

    private AccessDecision Unavailable(Exception exception)
    {
        LogUnavailable(logger, exception);
        metrics.Rejected(ApiMetrics.ClusterUnavailable);
        return AccessDecision.Unavailable;
    }

    // Fixed texts: nothing from the token itself is echoed back or logged.
    internal static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenInvalidLifetimeException => "The token has expired or is not valid yet.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is not accepted.",
        SecurityTokenInvalidTypeException => "The token's type is not at+jwt.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signing key is not known.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed.",
        _ => "The token is invalid.",
    };

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Access token rejected: {Failure}")]
    private static partial void LogRejected(ILogger logger, string failure);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Session check could not reach the cluster; failing closed")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Session check answered live after {Seconds:0.0} s, later than a fenced silo's answer can be trusted; failing closed")]
    private static partial void LogStaleAnswer(ILogger logger, double seconds);
}
