using System.Data.Common;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Sessions.Grains.Storage;

/// <summary>
/// Turns a storage failure inside any grain call into a <see cref="StorageUnavailableException"/>: the driver's own
/// exception types (NpgsqlException, SqliteException) are not serializable to clients, which would see a codec error.
/// </summary>
internal sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (IsStorageFailure(exception))
        {
            // While the breaker is open a call fails without reaching the database, and the breaker logged once
            // when it opened: a warning with a stack trace per request would only flood the log (several thousand in a
            // 20 s outage under load) and spend the CPU the requests that need no database are waiting for.
            if (IsKnownDown(exception))
                LogKnownDown(logger, context.TargetId, context.ImplementationMethod.Name);
            else
                LogStorageFailure(logger, exception, context.TargetId, context.ImplementationMethod.Name);
            throw new StorageUnavailableException($"Storage did not answer {context.ImplementationMethod.Name}; nothing was stored.");
        }
    }

    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        DbException or TimeoutException or StorageUnavailableException => true,
        _ => exception.InnerException is { } inner && IsStorageFailure(inner),
    };

    private static bool IsKnownDown(Exception exception) =>
        exception is BrokenCircuitException || exception.InnerException is { } inner && IsKnownDown(inner);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Storage is known to be down: {Method} on {Grain} failed without a call")]
    private static partial void LogKnownDown(ILogger logger, GrainId grain, string method);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Storage failed during {Method} on {Grain}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, GrainId grain, string method);
}
