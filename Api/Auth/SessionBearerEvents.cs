using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sessions.Grains;

using Sessions.Api.Http;
using Sessions.Api.Observability;

namespace Sessions.Api.Auth;

/// <summary>
/// After JwtBearer has verified a token's signature and claims, asks the user's grain whether its session is live
/// (sliding it), and shapes every refusal: 401 with an RFC 6750 challenge, or 503 when the cluster cannot answer.
/// </summary>
internal sealed partial class SessionBearerEvents(SigningKeyStore keys, IGrainFactory grains, ApiMetrics metrics, ILogger<SessionBearerEvents> logger)
    : JwtBearerEvents
{
    private static readonly object Unavailable = new();

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return;
        try
        {
            await keys.EnsureFreshAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (ClusterUnavailable.Is(exception))
        {
            FailUnavailable(context, exception);
        }
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken token || !AccessTokenClaims.TryRead(token, out var claims))
        {
            metrics.Rejected(ApiMetrics.MissingClaims);
            context.Fail("The token lacks the sub, sid, jti or iat claim.");
            return;
        }
        AccessCheckResult result;
        try
        {
            var started = Stopwatch.GetTimestamp();
            result = await grains.GetGrain<IUserGrain>(claims.UserId).CheckAccess(claims.ToCheck(), context.HttpContext.RequestAborted);
            metrics.CheckAnswered(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (ClusterUnavailable.Is(exception))
        {
            FailUnavailable(context, exception);
            return;
        }
        if (!result.IsLive)
        {
            metrics.Rejected(ApiMetrics.ReasonOf(result.Denial));
            context.Fail(Describe(result.Denial));
            return;
        }
        metrics.Accepted();
        new SessionAccess(claims.UserId, claims.SessionId, claims.Jti, result.Username!, result.DeviceId!, result.Roles!).AttachTo(context.HttpContext);
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (context.HttpContext.Items.ContainsKey(Unavailable))
        {
            await Problems.ServiceUnavailable(context.HttpContext);
            return;
        }
        string detail;
        if (context.AuthenticateFailure is null)
        {
            response.Headers.WWWAuthenticate = "Bearer";
            detail = "This endpoint needs an access token.";
        }
        else
        {
            detail = context.AuthenticateFailure is AuthenticationFailureException ? context.AuthenticateFailure.Message : Describe(context.AuthenticateFailure);
            response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{detail}\"";
        }
        await Problems.Write(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    public override Task Forbidden(ForbiddenContext context) =>
        Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "This endpoint needs the admin role.");

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        LogRejected(logger, context.Exception.GetType().Name);
        metrics.Rejected(ApiMetrics.ReasonOf(context.Exception));
        return Task.CompletedTask;
    }

    private void FailUnavailable(ResultContext<JwtBearerOptions> context, Exception exception)
    {
        LogUnavailable(logger, exception);
        metrics.Rejected(ApiMetrics.ClusterUnavailable);
        context.HttpContext.Items[Unavailable] = true;
        context.Fail("The session service is unavailable.");
    }

    internal static string Describe(AccessDenial denial) => denial switch
    {
        AccessDenial.UnknownUser => "The token's user does not exist.",
        AccessDenial.Disabled => "The account is disabled.",
        AccessDenial.IdleExpired => "The session ended after being idle.",
        AccessDenial.AbsoluteExpired => "The session reached its absolute lifetime.",
        AccessDenial.TokenRevoked => "The token has been revoked.",
        _ => "The session has ended.",
    };

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
}
