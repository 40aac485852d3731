using System.Data.Common;
using Microsoft.Extensions.Logging;

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
            LogStorageFailure(logger, exception, context.TargetId, context.ImplementationMethod.Name);
            throw new StorageUnavailableException($"Storage did not answer {context.ImplementationMethod.Name}; nothing was stored.");
        }
    }

    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        DbException or TimeoutException or StorageUnavailableException => true,
        _ => exception.InnerException is { } inner && IsStorageFailure(inner),
    };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Storage failed during {Method} on {Grain}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, GrainId grain, string method);
}
