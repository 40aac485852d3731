using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sessions.Bench;

/// <summary>The markdown table on stdout and <c>bench/results/latest.json</c>. (InvariantGlobalization: numbers print with a dot everywhere.)</summary>
internal static class Report
{
    /// <summary>The issue's target for memory per live session.</summary>
    public const double TargetBytesPerSession = 1024;

    /// <summary>Each row against its baseline: round by round where both ran in rounds, else against the baseline's median round.</summary>
    public static void Compare(IReadOnlyList<ConfigResult> results)
    {
        foreach (var row in results.Where(r => r.BaselineKey is not null && r.Load is not null))
        {
            if (results.FirstOrDefault(r => r.Key == row.BaselineKey) is not { Load: not null } baseline)
                continue;
            var alternated = row.Rounds.Count > 0 && baseline.Rounds.Count > 0;
            var pairs = alternated
                ? row.Rounds.Zip(baseline.Rounds).ToArray()
                : [(row.Load!, baseline.Load!)];
            if (!alternated && baseline.Rounds.Count > 0)
            {
                // Measured once (B, C, the cluster): against the baseline's medians, with no spread to show.
                var rps = Comparison.Median(baseline.Rounds.Select(l => l.RequestsPerSecond).ToArray());
                var cpu = Comparison.Median(baseline.Rounds.Select(l => l.CpuUsPerRequest).ToArray());
                row.Comparison = new Comparison(baseline.Key, baseline.Name, false, [row.Load!.RequestsPerSecond / rps],
                    [row.Load.CpuUsPerRequest / cpu], [row.Load.CpuUsPerRequest - cpu]);
                continue;
            }
            row.Comparison = new Comparison(baseline.Key, baseline.Name, alternated,
                pairs.Select(p => p.Item1.RequestsPerSecond / p.Item2.RequestsPerSecond).ToArray(),
                pairs.Select(p => p.Item1.CpuUsPerRequest / p.Item2.CpuUsPerRequest).ToArray(),
                pairs.Select(p => p.Item1.CpuUsPerRequest - p.Item2.CpuUsPerRequest).ToArray());
        }
    }

    public static string Markdown(IReadOnlyList<ConfigResult> results, MemoryResult? memory, BenchSettings settings, DateTimeOffset startedAt)
    {
        var text = new StringBuilder();
        var roundRows = results.Where(r => r.Rounds.Count > 0).ToArray();
        text.AppendLine($"GET /me, {settings.Connections} connections, {settings.Users} users, {Environment.ProcessorCount} cores, {startedAt:yyyy-MM-dd HH:mm} UTC{(settings.Quick ? " (--quick)" : "")}");
        text.AppendLine($"Rounds: {settings.Rounds} × {settings.RoundDuration.TotalSeconds:0} s per row, every row once per round, the order reversed every other round; " +
            "req/s and CPU are the median over the rounds, × is the median of the per-round ratios to the row named in \"vs\" (min–max in brackets). " +
            (settings.Pin
                ? $"Pinned during the rounds: every server (silo, A, B, C and their stores, upstream, nginx) on CPU {Pinning.ServerCpu}, wrk on CPU {Pinning.WrkCpu} (taskset, after start-up). "
                : "Not pinned (--no-pin). ") +
            $"Measured once, not in rounds, unpinned, against A's medians: {(results.Any(r => r.Rounds.Count == 0 && r.Load is not null) ? string.Join(", ", results.Where(r => r.Rounds.Count == 0 && r.Load is not null).Select(r => r.Name)) : "none")}; " +
            $"their wrk runs last {settings.Duration.TotalSeconds:0} s.");
        text.AppendLine();
        text.AppendLine("| configuration | vs | rounds | req/s | × vs | p50 ms | p99 ms | p99.9 ms | server CPU µs/req (app+store) | CPU × vs | + CPU µs/req | non-2xx | writes/req | 200s after revoke | first 200 s | steady s |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            if (r.Load is not { } l)
            {
                text.AppendLine($"| {r.Name} | failed: {r.Error} | | | | | | | | | | | | | | |");
                continue;
            }
            var runs = r.Rounds.Count > 0 ? r.Rounds : [l];
            var rps = Comparison.Median(runs.Select(x => x.RequestsPerSecond).ToArray());
            var app = Comparison.Median(runs.Select(x => x.AppCpuUsPerRequest).ToArray());
            var store = Comparison.Median(runs.Select(x => x.StoreCpuUsPerRequest).ToArray());
            var cpu = Comparison.Median(runs.Select(x => x.CpuUsPerRequest).ToArray());
            var revocation = r.Revocation switch
            {
                null => "—",
                { Mechanism: var m } x when m.StartsWith("none", StringComparison.Ordinal) => $"n/a ({x.OkAfter}/{x.RequestsAfter})",
                var x => $"{x.OkAfter} of {x.RequestsAfter}",
            };
            var c = r.Comparison;
            text.AppendLine(
                $"| {r.Name} | {(c is not null ? c.BaselineName : r.BaselineKey is null ? "(baseline)" : "— (its baseline did not run)")} | {(r.Rounds.Count > 0 ? r.Rounds.Count.ToString(CultureInfo.InvariantCulture) : "1, once")} | " +
                $"{rps:0} | {Spread(c?.RequestRatios)} | {l.P50Ms:0.00} | {l.P99Ms:0.00} | {l.P999Ms:0.00} | " +
                $"{cpu:0} ({app:0}+{store:0}) | {Spread(c?.CpuRatios)} | {(c is null ? "—" : Signed(c.AddedCpu))} | " +
                $"{runs.Sum(x => x.Non2xx + x.SocketErrors)} | {(l.StorageWritesPerRequest is { } w ? w.ToString("0.0000", CultureInfo.InvariantCulture) : "—")} | {revocation} | " +
                $"{(r.WarmUp?.FirstOkSeconds is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {(r.WarmUp?.SteadySeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "—")} |");
        }
        text.AppendLine();
        text.AppendLine("p50/p99/p99.9 are the median round's (by req/s). + CPU µs/req: the row's CPU per request minus its baseline's, median over the rounds " +
            "(for the gateway: what the check and YARP's hop add to the upstream; for nginx → Sessions: all processes, nginx included, against nginx → A).");
        DoorSplit(text, results);
        if (roundRows.Length > 0)
        {
            text.AppendLine();
            text.AppendLine($"How busy the machine was in each round: the share of all CPU taken by processes other than the servers, wrk and the bench (/proc/stat minus their own ticks); ⚠ above {LoadResult.BusyFlagPercent:0}%:");
            text.AppendLine();
            var rounds = roundRows.Max(r => r.Rounds.Count);
            for (var i = 0; i < rounds; i++)
            {
                var cells = roundRows.Where(r => r.Rounds.Count > i).Select(r => (r.Name, r.Rounds[i].OthersBusyPercent, r.Rounds[i].ServerBusyPercent, r.Rounds[i].BenchBusyPercent));
                text.AppendLine($"- round {i + 1}: " + string.Join("; ", cells.Select(x =>
                    $"{x.Name} others {x.OthersBusyPercent:0}%{(x.OthersBusyPercent > LoadResult.BusyFlagPercent ? " ⚠" : "")} (servers {x.ServerBusyPercent:0}%, wrk+bench {x.BenchBusyPercent:0}%)")));
            }
        }
        text.AppendLine();
        foreach (var r in results.Where(r => r.Load is not null))
        {
            var l = r.Load!;
            text.AppendLine(
                $"- {r.Name}: {(r.Rounds.Count > 0 ? "median round: " : "")}machine busy {l.MachineBusyPercent:0}% (servers {l.ServerBusyPercent:0}%, wrk and the bench {l.BenchBusyPercent:0}%, other work {l.OthersBusyPercent:0}%); " +
                (l.CpuSecondsByProcess.Count > 1
                    ? $"CPU µs/req by process {string.Join(", ", l.CpuSecondsByProcess.Select(kv => $"{kv.Key} {kv.Value * 1e6 / Math.Max(1, l.Requests):0}"))}; "
                    : "") +
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

    /// <summary>
    /// The doors' added CPU split, round by round. The gateway: its anonymous route (YARP's hop, no check) against the
    /// upstream straight is what the proxy costs, and the protected route against the anonymous one is what the
    /// session check adds inside the gateway, shown beside Sessions' own GET /me in the same round. nginx → Sessions:
    /// nginx's own CPU per request against nginx → A (the auth_request subrequest's cost to nginx), and the silo's
    /// /auth/check behind nginx against /auth/check driven straight.
    /// </summary>
    private static void DoorSplit(StringBuilder text, IReadOnlyList<ConfigResult> results)
    {
        ConfigResult? Row(string key) => results.FirstOrDefault(r => r.Key == key && r.Rounds.Count > 0);
        string Rounds(double[] values) => $"median {Signed(Comparison.Median(values))} µs/req; rounds {string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}";
        double ProcessUs(LoadResult load, string process) =>
            load.CpuSecondsByProcess.TryGetValue(process, out var seconds) ? seconds * 1e6 / Math.Max(1, load.Requests) : 0;

        var gateway = Row("gateway");
        var direct = Row("upstream");
        var open = Row("gateway-open");
        var me = Row("sessions-single");
        var rounds = new[] { gateway, direct, open, me }.OfType<ConfigResult>().Select(r => r.Rounds.Count).DefaultIfEmpty(0).Min();
        if (gateway is not null && direct is not null && me is not null)
        {
            var meCpu = Comparison.Median(me.Rounds.Select(l => l.CpuUsPerRequest).ToArray());
            if (open is not null)
            {
                var hop = Enumerable.Range(0, rounds).Select(i => open.Rounds[i].CpuUsPerRequest - direct.Rounds[i].CpuUsPerRequest).ToArray();
                var check = Enumerable.Range(0, rounds).Select(i => gateway.Rounds[i].CpuUsPerRequest - open.Rounds[i].CpuUsPerRequest).ToArray();
                var siloCheck = Enumerable.Range(0, rounds).Select(i => ProcessUs(gateway.Rounds[i], "silo") - ProcessUs(open.Rounds[i], "silo")).ToArray();
                var ratio = Enumerable.Range(0, rounds).Select(i => check[i] / me.Rounds[i].CpuUsPerRequest).ToArray();
                text.AppendLine($"Gateway: YARP's hop (anonymous route minus the upstream straight, all processes) {Rounds(hop)}. " +
                    $"The session check inside the gateway (protected route minus anonymous route, all processes) {Rounds(check)} " +
                    $"(the silo's share {Rounds(siloCheck)}), against GET /me's {meCpu:0} µs/req in the same rounds: " +
                    $"{Spread(ratio)} × GET /me.");
            }
            else
            {
                var hop = Enumerable.Range(0, rounds).Select(i => gateway.Rounds[i].CpuUsPerRequest - direct.Rounds[i].CpuUsPerRequest - me.Rounds[i].CpuUsPerRequest).ToArray();
                text.AppendLine($"Gateway: of the + CPU µs/req over the upstream straight, Sessions' own GET /me in the same round accounts for " +
                    $"{meCpu:0}; the rest, YARP's hop, is {Rounds(hop)}.");
            }
        }
        var nginxA = Row("nginx-a");
        var nginxS = Row("nginx-sessions");
        var check2 = Row("sessions-single-check");
        if (nginxA is not null && nginxS is not null)
        {
            var n = Math.Min(nginxA.Rounds.Count, nginxS.Rounds.Count);
            var nginxExtra = Enumerable.Range(0, n).Select(i => ProcessUs(nginxS.Rounds[i], "nginx") - ProcessUs(nginxA.Rounds[i], "nginx")).ToArray();
            string Median(ConfigResult row, string process) => Comparison.Median(row.Rounds.Select(l => ProcessUs(l, process)).ToArray()).ToString("0", CultureInfo.InvariantCulture);
            text.AppendLine($"nginx: nginx itself {Median(nginxS, "nginx")} µs/req with auth_request against {Median(nginxA, "nginx")} proxying to A, " +
                $"so the subrequest costs nginx {Rounds(nginxExtra)}; the silo's /auth/check behind nginx {Median(nginxS, "silo")} µs/req" +
                (check2 is not null ? $" (driven straight: {Comparison.Median(check2.Rounds.Select(l => l.CpuUsPerRequest).ToArray()):0})" : "") +
                $", the upstream {Median(nginxS, "upstream")}; A behind nginx {Median(nginxA, "baseline")}.");
        }
    }

    private static string Spread(IReadOnlyList<double>? ratios)
    {
        if (ratios is null || ratios.Count == 0)
            return "—";
        var median = Comparison.Median(ratios).ToString("0.00", CultureInfo.InvariantCulture);
        return ratios.Count == 1 ? median : $"{median} ({ratios.Min().ToString("0.00", CultureInfo.InvariantCulture)}–{ratios.Max().ToString("0.00", CultureInfo.InvariantCulture)})";
    }

    private static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString("0", CultureInfo.InvariantCulture);

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

}
