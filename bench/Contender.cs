namespace Sessions.Bench;

/// <summary>One row driven in every round: wrk on <see cref="Port"/> and <see cref="Path"/>, the CPU of <see cref="Servers"/> counted.</summary>
internal sealed record Contender(ConfigResult Result, IReadOnlyList<ServerProcess> Servers, int Port, string Path = "/me",
    Func<Task<long>>? StorageWrites = null);
