using Orleans.Runtime;
using Orleans.Storage;

namespace Sessions.Api.Auth;

/// <summary>Failures that mean "the cluster or its storage cannot answer now": the request fails closed with 503.</summary>
internal static class ClusterUnavailable
{
    public static bool Is(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(Is),
        OrleansMessageRejectionException or SiloUnavailableException
            or InconsistentStateException or TimeoutException or OrleansException or System.Data.Common.DbException => true,
        _ => exception.InnerException is { } inner && Is(inner),
    };
}
