using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sessions.Bench;

/// <summary>The markdown table on stdout and <c>bench/results/latest.json</c>. (InvariantGlobalization: numbers print with a dot everywhere.)</summary>
internal static class Report
{
    public static string Markdown(IReadOnlyList<ConfigResult> results, BenchSettings settings, DateTimeOffset startedAt)
    {
        var baseline = results.FirstOrDefault(r => r.Key == "baseline-a")?.Load;
        var text = new StringBuilder();
        text.AppendLine($"GET /me, {settings.Connections} connections, {settings.Duration.TotalSeconds:0} s per configuration, {settings.Users} users, {Environment.ProcessorCount} cores, {startedAt:yyyy-MM-dd HH:mm} UTC{(settings.Quick ? " (--quick)" : "")}");
        text.AppendLine();
        text.AppendLine("| configuration | req/s | × A | p50 ms | p99 ms | p99.9 ms | server CPU µs/req (app+store) | CPU × A | non-2xx | writes/req | 200s after revoke | first 200 s | steady s |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            if (r.Load is not { } l)
            {
                text.AppendLine($"| {r.Name} | failed: {r.Error} | | | | | | | | | | | |");
                continue;
            }
            var revocation = r.Revocation switch
            {
                null => "—",
                { Mechanism: var m } x when m.StartsWith("none", StringComparison.Ordinal) => $"n/a ({x.OkAfter}/{x.RequestsAfter})",
                var x => $"{x.OkAfter} of {x.RequestsAfter}",
            };
            text.AppendLine(
                $"| {r.Name} | {l.RequestsPerSecond:0} | {Ratio(l.RequestsPerSecond, baseline?.RequestsPerSecond)} | {l.P50Ms:0.00} | {l.P99Ms:0.00} | {l.P999Ms:0.00} | " +
                $"{l.CpuUsPerRequest:0} ({l.AppCpuUsPerRequest:0}+{l.StoreCpuUsPerRequest:0}) | {Ratio(l.CpuUsPerRequest, baseline?.CpuUsPerRequest)} | " +
                $"{l.Non2xx + l.SocketErrors} | {(l.StorageWritesPerRequest is { } w ? w.ToString("0.0000", CultureInfo.InvariantCulture) : "—")} | {revocation} | " +
                $"{r.WarmUp?.FirstOkSeconds:0.00} | {(r.WarmUp?.SteadySeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "—")} |");
        }
        text.AppendLine();
        foreach (var r in results.Where(r => r.Load is not null))
        {
            var l = r.Load!;
            text.AppendLine(
                $"- {r.Name}: machine busy {l.MachineBusyPercent:0}% (servers {l.ServerBusyPercent:0}%, the rest is wrk, the bench and other work); " +
                $"RSS MiB {string.Join(", ", l.RssMiBAfter.Select(kv => $"{kv.Key} {kv.Value:0}"))}" +
                (r.StartSeconds is { } start ? $"; start {start:0.0} s" : "") +
                (r.UserSetupPerSecond is { } setup ? $"; register+login {setup:0.0}/s" : "") +
                (l.StorageWrites is { } writes ? $"; {writes} grain writes in {l.Requests} requests" : "") +
                (r.Revocation is { } rev ? $"; revoke via {rev.Mechanism}, call {rev.RevokeCallMs:0.0} ms" +
                    (rev.FirstRejectionAfterMs is { } first ? $", first 401 {first:0.0} ms after" : "") : ""));
        }
        return text.ToString();
    }

    public static async Task WriteJsonAsync(string folder, IReadOnlyList<ConfigResult> results, BenchSettings settings, DateTimeOffset startedAt, string markdown)
    {
        Directory.CreateDirectory(folder);
        var document = new
        {
            startedAt,
            finishedAt = DateTimeOffset.UtcNow,
            machine = new { cores = Environment.ProcessorCount, loadAverage = File.ReadAllText("/proc/loadavg").Trim() },
            settings,
            results,
            markdown,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"), JsonSerializer.Serialize(document, JsonOptions.Web));
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is > 0 ? (value / baseline.Value).ToString("0.00", CultureInfo.InvariantCulture) : "—";

}
