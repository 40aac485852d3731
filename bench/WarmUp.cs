using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>
/// Warm-up, measured with the bench's own client right after a start: the first 200 on every port, then a closed loop
/// whose throughput is taken in 250 ms buckets. Steady is the end of the first one-second window that reaches 90% of
/// the median one-second rate over the last third of the probe.
/// </summary>
internal static class WarmUp
{
    private const int Workers = 8;

    public static async Task<WarmUpResult> MeasureAsync(ProbeClient client, long startedAt, string startedWhat, IReadOnlyList<int> ports,
        IReadOnlyList<string> tokens, TimeSpan probe, CancellationToken cancellationToken)
    {
        long firstOk = 0;
        foreach (var port in ports)
            firstOk = Math.Max(firstOk, await client.WaitForFirstOkAsync(port, tokens[0], BenchSettings.StartDeadline, cancellationToken));
        var probeStart = Stopwatch.GetTimestamp();
        var samples = await client.RunAsync(ports, tokens, Workers, probe, cancellationToken);

        var bucket = Stopwatch.Frequency / 4;
        var buckets = new int[(int)Math.Ceiling(probe.TotalSeconds * 4) + 8];
        foreach (var sample in samples.Where(s => s.Status == 200))
        {
            var index = (int)((sample.Finished - probeStart) / bucket);
            if (index >= 0 && index < buckets.Length)
                buckets[index]++;
        }
        var windows = Enumerable.Range(0, Math.Max(0, (int)(probe.TotalSeconds * 4) - 3)).Select(i => buckets.Skip(i).Take(4).Sum()).ToArray();
        if (windows.Length == 0)
            return new WarmUpResult(Seconds(firstOk - startedAt), null, 0, startedWhat);
        var tail = windows.Skip(windows.Length * 2 / 3).Order().ToArray();
        var steadyRate = tail[tail.Length / 2];
        var steadyWindow = Array.FindIndex(windows, w => w >= 0.9 * steadyRate);
        double? steady = steadyWindow < 0 ? null : Seconds(probeStart - startedAt) + (steadyWindow + 4) * 0.25;
        return new WarmUpResult(Seconds(firstOk - startedAt), steady, steadyRate, startedWhat);
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
