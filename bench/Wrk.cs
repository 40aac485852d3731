using System.Text.Json;

namespace Sessions.Bench;

/// <summary>Runs wrk (Debian's package) with <c>wrk/me.lua</c>: a light closed-loop client, fixed connections, no pacing.</summary>
internal static class Wrk
{
    public static async Task<WrkResult> RunAsync(RepoPaths paths, string workDirectory, string tokensFile, IReadOnlyList<int> ports,
        int connections, TimeSpan duration, CancellationToken cancellationToken, string path = "/me", string? cpus = null)
    {
        var output = Path.Combine(workDirectory, $"wrk-{Guid.NewGuid():N}.json");
        var threads = Math.Max(2, ports.Count);
        var environment = new Dictionary<string, string>
        {
            ["BENCH_TOKENS"] = tokensFile,
            ["BENCH_PORTS"] = string.Join(' ', ports),
            ["BENCH_OUT"] = output,
            ["BENCH_PATH"] = path,
        };
        string[] arguments =
        [
            "-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "5s",
            "-s", paths.WrkScript, $"http://127.0.0.1:{ports[0]}{path}",
        ];
        // Pinned: taskset execs wrk, so the pid and its CPU (reaped into the bench's cutime) are wrk's.
        if (cpus is not null)
            arguments = ["-c", cpus, "/usr/bin/wrk", .. arguments];
        await ChildProcess.RunAsync(cpus is null ? "wrk" : "/usr/bin/taskset", arguments, environment, workDirectory, Path.Combine(workDirectory, "wrk.log"),
            duration + TimeSpan.FromSeconds(30), cancellationToken);
        return JsonSerializer.Deserialize<WrkResult>(await File.ReadAllTextAsync(output, cancellationToken), JsonOptions.Web)
            ?? throw new InvalidOperationException("wrk wrote no summary");
    }

    public static void ThrowIfMissing()
    {
        if (!File.Exists("/usr/bin/wrk"))
            throw new InvalidOperationException("wrk is not installed: apt-get install -y wrk redis-server");
    }
}
