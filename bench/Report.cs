using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sessions.Bench;

/// <summary>The markdown table on stdout and <c>bench/results/latest.json</c>. (InvariantGlobalization: numbers print with a dot everywhere.)</summary>
internal static class Report
{
    /// <summary>The issue's target for memory per live session.</summary>
    public const double TargetBytesPerSession = 1024;

    public static string Markdown(IReadOnlyList<ConfigResult> results, MemoryResult? memory, BenchSettings settings, DateTimeOffset startedAt)
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
        TokenSection(text, results, settings);
        if (memory is not null)
            MemorySection(text, memory);
        return text.ToString();
    }

    private static void TokenSection(StringBuilder text, IReadOnlyList<ConfigResult> results, BenchSettings settings)
    {
        var runs = results.SelectMany(r => new[] { r.Logins, r.Refreshes }).OfType<TokenLoadResult>().ToList();
        if (runs.Count == 0)
            return;
        text.AppendLine();
        text.AppendLine($"POST /oauth/token on the single process, closed loop, {settings.TokenRun.TotalSeconds:0} s per grant, one user per worker:");
        text.AppendLine();
        text.AppendLine("| grant | per second | p50 ms | p99 ms | workers | failures | reuse detections | server CPU ms/grant | machine busy | cost of one grant |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var t in runs)
        {
            text.AppendLine($"| {t.Grant} | {t.OkPerSecond:0.0} | {t.P50Ms:0.0} | {t.P99Ms:0.0} | {t.Workers} | {t.Failures} | {t.ReuseDetections} | " +
                $"{t.AppCpuUsPerRequest / 1000:0.00} | {t.MachineBusyPercent:0}% | {t.Cost} |");
        }
    }

    private static void MemorySection(StringBuilder text, MemoryResult memory)
    {
        text.AppendLine();
        text.AppendLine($"Memory per live session: {memory.HowStarted}; Server GC as shipped; each reading after two forced full collections " +
            "(managed objects: the bytes of the objects in a heap dump, walked with ClrMD):");
        text.AppendLine();
        text.AppendLine("| reading | live sessions | users | RSS MiB | managed objects MiB | RSS B/session | managed B/session | per session since | logins/s while creating |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        foreach (var p in memory.Points)
        {
            var rssPerSession = p.RssBytesPerSession is { } r ? r.ToString("0", CultureInfo.InvariantCulture) : p.Reference is null ? "" : "(noise)";
            text.AppendLine($"| {p.Label} | {p.Sessions:N0} | {p.Users:N0} | {p.RssMiB:0} | {p.ObjectsMiB:0} | {rssPerSession} | {p.ObjectBytesPerSession:0} | " +
                $"{p.Reference ?? "—"} | {p.CreatedPerSecond:0} |");
        }
        text.AppendLine();
        foreach (var p in memory.Points.Where(p => p.ObjectBytesPerSession is not null))
        {
            var figure = p.RssBytesPerSession ?? p.ObjectBytesPerSession!.Value;
            var verdict = figure <= TargetBytesPerSession ? "meets" : $"misses (×{figure / TargetBytesPerSession:0.00})";
            text.AppendLine($"- {p.Label}: {(p.RssBytesPerSession is { } rss ? $"{rss:0} B of RSS and " : "")}{p.ObjectBytesPerSession:0} B of managed objects " +
                $"per session; {(p.RssBytesPerSession is null ? "the managed figure" : "RSS")} {verdict} the ≤ 1 KiB target");
        }
        text.AppendLine("- RSS per session is shown only where at least 10,000 sessions were added: below that, GC budgets and pools move RSS by more than the sessions do");
        foreach (var line in memory.SpotChecks.Select(c => $"spot check {c}").Concat(memory.Notes))
            text.AppendLine($"- {line}");
        if (memory.Error is { } error)
            text.AppendLine($"- memory run failed: {error}");
        foreach (var p in memory.Points.Where(p => p.TopGrowth is { Count: > 0 }))
        {
            text.AppendLine();
            text.AppendLine($"What grew on the managed heap, {p.Label} (since {p.Reference}), per session added:");
            text.AppendLine();
            text.AppendLine("| type | objects/session | B/session |");
            text.AppendLine("| --- | ---: | ---: |");
            foreach (var t in p.TopGrowth!)
                text.AppendLine($"| `{t.Type}` | {t.ObjectsPerSession:0.00} | {t.BytesPerSession:0} |");
        }
    }

    public static async Task WriteJsonAsync(string folder, IReadOnlyList<ConfigResult> results, MemoryResult? memory, BenchSettings settings,
        DateTimeOffset startedAt, string markdown)
    {
        Directory.CreateDirectory(folder);
        var document = new
        {
            startedAt,
            finishedAt = DateTimeOffset.UtcNow,
            machine = new { cores = Environment.ProcessorCount, loadAverage = File.ReadAllText("/proc/loadavg").Trim() },
            settings,
            results,
            memory,
            markdown,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"), JsonSerializer.Serialize(document, JsonOptions.Web));
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is > 0 ? (value / baseline.Value).ToString("0.00", CultureInfo.InvariantCulture) : "—";

}
