using Microsoft.AspNetCore.Diagnostics;
using Sessions.Api.Auth;
using Sessions.Grains;

namespace Sessions.Api.Http;

/// <summary>Unreachable cluster or storage → 503 with Retry-After; unreadable requests → their 4xx; never a 500 for either.</summary>
internal sealed partial class SessionsExceptionHandler(ILogger<SessionsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException badRequest)
        {
            await Problems.Write(context, badRequest.StatusCode, "Bad Request", "The request could not be read.");
            return true;
        }
        if (exception is PasswordHashingBusyException)
        {
            LogHashingBusy(logger);
            context.Response.Headers.RetryAfter = Problems.RetryAfterSeconds.ToString();
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "Too many password checks are in progress on this service; nothing was changed. Retry shortly.");
            return true;
        }
        if (ClusterUnavailable.Is(exception))
        {
            LogUnavailable(logger, exception);
            await Problems.ServiceUnavailable(context);
            return true;
        }
        return false;
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Request refused: the password-hashing queue is full (Sessions:PasswordHashing:MaxQueued)")]
    private static partial void LogHashingBusy(ILogger logger);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Request failed closed: the cluster or its storage did not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
