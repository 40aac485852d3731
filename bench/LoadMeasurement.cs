namespace Sessions.Bench;

/// <summary>Reads the servers' CPU (and optionally a storage write counter) just before and just after one wrk run.</summary>
internal static class LoadMeasurement
{
    public static async Task<LoadResult> MeasureAsync(IReadOnlyList<ServerProcess> servers, Func<Task<WrkResult>> load,
        Func<Task<long>>? storageWrites)
    {
        var writesBefore = storageWrites is null ? (long?)null : await storageWrites();
        var cpuBefore = servers.Select(s => s.Ticks()).ToArray();
        var machineBefore = ProcStat.Machine();
        var benchBefore = ProcStat.SelfTicks();
        var wrk = await load();
        var benchAfter = ProcStat.SelfTicks();
        var machineAfter = ProcStat.Machine();
        var cpuAfter = servers.Select(s => s.Ticks()).ToArray();
        var writesAfter = storageWrites is null ? (long?)null : await storageWrites();

        var requests = Math.Max(1, wrk.Requests);
        var seconds = wrk.DurationUs / 1e6;
        var cpuSeconds = servers.Select((s, i) => (s, seconds: (cpuAfter[i] - cpuBefore[i]) / ProcStat.TicksPerSecond)).ToArray();
        double UsPerRequest(bool store) => cpuSeconds.Where(c => c.s.IsStore == store).Sum(c => c.seconds) * 1e6 / requests;
        var machineTicks = Math.Max(1, machineAfter.Total - machineBefore.Total);
        var writes = writesAfter - writesBefore;
        var serverTicks = cpuSeconds.Sum(c => c.seconds) * ProcStat.TicksPerSecond;
        // Everything the machine did beside the servers, wrk and the bench: the other work on a shared box.
        var othersTicks = Math.Max(0, machineAfter.Busy - machineBefore.Busy - serverTicks - (benchAfter - benchBefore));
        return new LoadResult(
            wrk.Requests,
            seconds,
            wrk.Requests / seconds,
            wrk.StatusErrors,
            wrk.ConnectErrors + wrk.ReadErrors + wrk.WriteErrors + wrk.Timeouts,
            wrk.MeanUs / 1000,
            wrk.P50Us / 1000.0,
            wrk.P99Us / 1000.0,
            wrk.P999Us / 1000.0,
            UsPerRequest(store: false),
            UsPerRequest(store: true),
            100.0 * (machineAfter.Busy - machineBefore.Busy) / machineTicks,
            100.0 * serverTicks / machineTicks,
            100.0 * (benchAfter - benchBefore) / machineTicks,
            100.0 * othersTicks / machineTicks,
            writes,
            writes is { } w ? (double)w / requests : null,
            cpuSeconds.ToDictionary(c => c.s.Name, c => c.seconds),
            servers.Select(s => (s.Name, rss: ProcStat.RssMiB(s.Pid))).Where(r => r.rss is not null).ToDictionary(r => r.Name, r => r.rss!.Value));
    }
}
