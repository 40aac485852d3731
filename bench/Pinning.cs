namespace Sessions.Bench;

/// <summary>
/// CPU pinning for the rounds (<c>taskset</c>, util-linux): servers on one core, wrk on the other, so the load
/// generator does not take its CPU from the server it drives. Processes are pinned after they started (every thread,
/// <c>-a</c>; threads made later inherit it), so each runtime sized itself for the whole machine, A's and Sessions' alike.
/// </summary>
internal static class Pinning
{
    public const string ServerCpu = "1";
    public const string WrkCpu = "0";

    /// <summary>Pinning needs two cores; with one there is nothing to separate.</summary>
    public static bool Possible => Environment.ProcessorCount >= 2 && File.Exists("/usr/bin/taskset");

    public static string AllCpus => $"0-{Environment.ProcessorCount - 1}";

    public static Task SetAsync(int pid, string cpus, string folder, CancellationToken cancellationToken) =>
        ChildProcess.RunAsync("/usr/bin/taskset", ["-a", "-p", "-c", cpus, pid.ToString()], new Dictionary<string, string>(), folder,
            Path.Combine(folder, "taskset.log"), TimeSpan.FromSeconds(10), cancellationToken);
}
