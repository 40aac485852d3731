using Sessions.Bench;

// dotnet run -c Release --project bench -- [--quick]
// Starts each configuration on 127.0.0.1, drives GET /me with wrk, prints a markdown table, writes bench/results/latest.json.
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine("usage: dotnet run -c Release --project bench -- [--quick] [--no-pin] [--only=single,telemetry,nginx,gateway,cluster,cohosted,a,b,c,memory]   (see bench/README.md)");
    return 0;
}
var settings = (args.Contains("--quick") ? BenchSettings.ForQuick() : BenchSettings.ForFull()) with
{
    Pin = Pinning.Possible && !args.Contains("--no-pin"),
};
var paths = RepoPaths.Find();
paths.ThrowIfNotBuilt();
Wrk.ThrowIfMissing();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let every configuration stop what it started (the cluster's `down` included) before exiting.
    e.Cancel = true;
    cancel.Cancel();
};

var startedAt = DateTimeOffset.UtcNow;
var workRoot = Directory.CreateTempSubdirectory("sessions-bench-").FullName;
// The postgres user (initdb, local-cluster.sh) must be able to reach folders below this one.
File.SetUnixFileMode(workRoot, (UnixFileMode)0b111_101_101);
Progress.Line($"work folder {workRoot}; {(settings.Quick ? "quick" : "full")} mode");

using var client = new ProbeClient();
var context = new BenchContext(settings, paths, workRoot, client, cancel.Token);
var single = new ConfigResult("sessions-single", "Sessions, single process (SQLite)", "dotnet Silo/bin/Release/net10.0/Sessions.Silo.dll, fresh temp data folder") { BaselineKey = "baseline-a" };
var cluster = new ConfigResult("sessions-cluster", "Sessions, 2 silos + 2 Api (PostgreSQL)", "deploy/local-cluster.sh up / down, Release build, wrk split over both Api hosts") { BaselineKey = "baseline-a" };
var cohosted = new ConfigResult("sessions-cohosted", "Sessions, 2 silos serving the Api (PostgreSQL)", "the bench's PostgreSQL, Silo migrate, 2 Silo processes with Sessions__ServeApi=true, wrk split over both") { BaselineKey = "baseline-a" };
var telemetryOff = new ConfigResult("sessions-telemetry-off", "Sessions, single process, metrics and traces off", "a second silo on a copy of the single process's data, Sessions__Telemetry__Metrics=false, __Traces=false, in the same rounds") { BaselineKey = "sessions-single" };
var singleCheck = new ConfigResult("sessions-single-check", "Sessions, single process: GET /auth/check (forward auth)", "the same process and tokens as the row above, in the same rounds") { BaselineKey = "baseline-a" };
var baselineA = new ConfigResult("baseline-a", "A: stateless JwtBearer", "bench/Baselines, Baseline__Mode=Stateless, beside the single process, in its rounds");
var nginxA = new ConfigResult("nginx-a", "nginx → A (A validates the token)", "/usr/sbin/nginx, bench-generated config, proxy_pass to A (keepalive)");
var nginxSessions = new ConfigResult("nginx-sessions", "nginx auth_request → Sessions /auth/check → upstream", "the same nginx, deploy/forward-auth/nginx's includes, then proxy_pass to bench/Baselines with Baseline__Mode=Trusted (no token validation)") { BaselineKey = "nginx-a" };
var upstream = new ConfigResult("upstream", "upstream straight (no auth)", "bench/Baselines, Baseline__Mode=Trusted: A's host with the auth taken out") { BaselineKey = null };
var gateway = new ConfigResult("gateway", "Sessions gateway (YARP) → upstream", "the single process with a Sessions:Gateway route /api/{**rest} (policy session) to the upstream") { BaselineKey = "upstream" };
var gatewayOpen = new ConfigResult("gateway-open", "Sessions gateway (YARP), anonymous route → upstream", "the same process's gateway on a second route /open/{**rest}, policy anonymous, to the same upstream: YARP's hop without the check") { BaselineKey = "upstream" };
var baselineB = new ConfigResult("baseline-b", "B: JwtBearer + Redis denylist", "bench/Baselines, Baseline__Mode=Redis, redis-server started by the bench, in the single process's rounds") { BaselineKey = "baseline-a" };
var baselineC = new ConfigResult("baseline-c", "C: JwtBearer + PostgreSQL session row", "bench/Baselines, Baseline__Mode=Postgres, PostgreSQL started by the bench, in the single process's rounds") { BaselineKey = "baseline-a" };
// --only=cluster,a: a subset while working on one configuration (the baselines and the doors need the single-process
// run's tokens; A runs whenever the single process does, as the baseline of its rounds).
var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..].Split(',');
bool Selected(string key) => only is null || only.Contains(key);
var memory = Selected("memory") ? new MemoryResult() : null;
var runSingle = new[] { "single", "telemetry", "a", "b", "c", "nginx", "gateway" }.Any(Selected);
var plan = new RoundsPlan(single, baselineA)
{
    Check = Selected("single") ? singleCheck : null,
    TelemetryOff = Selected("telemetry") ? telemetryOff : null,
    BaselineB = Selected("b") ? baselineB : null,
    BaselineC = Selected("c") ? baselineC : null,
    NginxStateless = Selected("nginx") ? nginxA : null,
    NginxForwardAuth = Selected("nginx") ? nginxSessions : null,
    Upstream = Selected("gateway") ? upstream : null,
    Gateway = Selected("gateway") ? gateway : null,
    GatewayOpen = Selected("gateway") ? gatewayOpen : null,
};
ConfigResult[] results = [.. (runSingle ? plan.All : Enumerable.Empty<ConfigResult>()), .. (Selected("cluster") ? [cluster] : Array.Empty<ConfigResult>()),
    .. (Selected("cohosted") ? [cohosted] : Array.Empty<ConfigResult>())];

async Task Attempt(ConfigResult result, Func<Task> run)
{
    try
    {
        await run();
    }
    catch (Exception exception) when (exception is not OperationCanceledException)
    {
        result.Error = exception.Message;
        Progress.Line($"{result.Key}: FAILED: {exception.Message}");
    }
}

try
{
    if (runSingle)
    {
        await Attempt(single, () => SingleProcessRun.RunAsync(context, plan));
        foreach (var row in plan.All.Where(r => r.Load is null))
            row.Error ??= single.Error ?? "not measured";
    }
    if (results.Contains(cluster))
        await Attempt(cluster, () => ClusterRun.RunAsync(context, cluster));
    if (results.Contains(cohosted))
        await Attempt(cohosted, () => CoHostedRun.RunAsync(context, cohosted));
    if (memory is not null)
    {
        try
        {
            await MemoryRun.RunAsync(context, memory);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            memory.Error = exception.Message;
            Progress.Line($"memory: FAILED: {exception.Message}");
        }
    }
}
catch (OperationCanceledException)
{
    Progress.Line("cancelled");
}

Report.Compare(results);
var markdown = Report.Markdown(results, memory, settings, startedAt);
Console.WriteLine(markdown);
await Report.WriteJsonAsync(paths.ResultsDirectory, results, memory, settings, startedAt, markdown);
Progress.Line($"wrote {Path.Combine(paths.ResultsDirectory, "latest.json")} after {DateTimeOffset.UtcNow - startedAt:mm\\:ss}; logs in {workRoot}");
return results.Any(r => r.Error is not null) || memory?.Error is not null ? 1 : 0;
