using Orleans.Runtime;
using Orleans.Storage;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>Failures that mean "the cluster or its storage cannot answer now": the request fails closed with 503.</summary>
internal static class ClusterUnavailable
{
    public static bool Is(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(Is),
        StorageUnavailableException or SiloFencedException or RefreshTooLateException or OrleansMessageRejectionException or SiloUnavailableException
            or InconsistentStateException or TimeoutException or OrleansException or System.Data.Common.DbException => true,
        // A failure the silo could not even describe to this host (say, a driver exception in a failed activation).
        Orleans.Serialization.SerializerException => true,
        // A grain call cancelled under a partition (its target silo declared dead, its connection dropped). If the HTTP
        // client aborted instead, nobody reads the answer, so a 503 is never wrong here and a 500 always was.
        OperationCanceledException => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
