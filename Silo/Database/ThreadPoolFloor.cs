using Npgsql;

namespace Sessions.Silo.Database;

/// <summary>
/// Raises the thread pool's floor on a PostgreSQL silo so that a database that stops answering cannot stall the
/// requests that need no database. Npgsql cancels a command that timed out, or whose token fired, by opening a
/// second connection to the server and sending a cancel request, synchronously: a blocking connect on a thread-pool
/// thread for up to the connection string's <c>Timeout</c>. When PostgreSQL is cut off (packets dropped, not
/// refused), every command in flight at the cut reaches its timeout at about the same moment and each holds a thread
/// that long. With the default floor of one thread per core the pool adds a thread only every half second or so, and
/// meanwhile every request of the silo waits: stalls of 0.3–2.9 s in the partition suite's database cut, with all
/// eight worker threads found in <c>NpgsqlConnector.DoCancelRequest</c>. Each pooled connection can be in at most one
/// such cancel, so a floor of the pool's maximum size plus two threads per core always leaves the pool runnable
/// threads without waiting for it to grow.
/// </summary>
internal static class ThreadPoolFloor
{
    /// <summary>The worker-thread floor for a silo whose database connections share <paramref name="connectionString"/>'s pool.</summary>
    public static int For(string connectionString, int processorCount) =>
        new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize + 2 * processorCount;

    /// <summary>Raises the worker floor to <see cref="For"/>; never lowers one set higher (e.g. by DOTNET_ThreadPool_ForceMinWorkerThreads).</summary>
    public static void Raise(string connectionString)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var floor = For(connectionString, Environment.ProcessorCount);
        if (floor > workers)
            ThreadPool.SetMinThreads(floor, completionPorts);
    }
}
