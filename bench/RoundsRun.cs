using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>
/// The rows compared in rounds, all on the running single-process silo's tokens: baseline A (and, when asked, nginx,
/// the trusted upstream) start beside the silo, then each round drives every row once with wrk, the order reversed
/// every other round (A, Sessions, Sessions, A, ...), so drift and a sibling's build hit both sides of a pair.
/// </summary>
internal static class RoundsRun
{
    public static async Task RunAsync(BenchContext context, RoundsPlan plan, IssuedSet issued, int sessionsPort, int sessionsPid,
        (int Port, int Pid)? telemetryOff, Func<Task<long>> grainWrites, Func<IssuedToken, Task> revokeUser)
    {
        var folder = context.NewFolder("rounds");
        var jwksFile = Path.Combine(folder, "jwks.json");
        await File.WriteAllTextAsync(jwksFile, issued.Jwks, context.CancellationToken);
        var tokens = issued.Load.Select(t => t.AccessToken).ToArray();
        var aPort = FreePorts.One();
        Progress.Line($"rounds: starting baseline A (port {aPort})");
        var started = Stopwatch.GetTimestamp();
        await using var a = StartBaseline(context, folder, "baseline-a", aPort, new()
        {
            ["Baseline__JwksFile"] = jwksFile,
            ["Baseline__Issuer"] = issued.Issuer,
        });
        plan.BaselineA.WarmUp = await WarmUp.MeasureAsync(context.Client, started, "start of the baseline process", [aPort], tokens,
            context.Settings.WarmUpProbe, context.CancellationToken);

        ChildProcess? upstream = null;
        ThrowawayNginx? nginx = null;
        var stores = new List<(ConfigResult Row, BaselineStore Store, ChildProcess Host, int Port)>();
        var silo = new ServerProcess("silo", sessionsPid);
        var baseline = new ServerProcess("baseline", a.Pid);
        try
        {
            var contenders = new List<Contender>
            {
                new(plan.BaselineA, [baseline], aPort),
                new(plan.Sessions, [silo], sessionsPort, StorageWrites: grainWrites),
            };
            if (plan.TelemetryOff is { } quietRow && telemetryOff is { } twin)
                contenders.Add(new(quietRow, [new ServerProcess("silo-telemetry-off", twin.Pid)], twin.Port));
            if (plan.Check is { } check)
                contenders.Add(new(check, [silo], sessionsPort, "/auth/check", grainWrites));
            var pids = new List<int> { sessionsPid, a.Pid };
            if (telemetryOff is { } quietTwin)
                pids.Add(quietTwin.Pid);
            foreach (var (row, kind, victim) in new[] { (plan.BaselineB, BaselineStore.Kind.Redis, 2), (plan.BaselineC, BaselineStore.Kind.Postgres, 3) })
            {
                if (row is null)
                    continue;
                try
                {
                    var storeFolder = context.NewFolder(row.Key);
                    var store = await BaselineStore.StartAsync(context, storeFolder, kind, issued, issued.Victims[victim]);
                    var port = FreePorts.One();
                    Progress.Line($"rounds: starting {row.Key} (port {port})");
                    var environment = new Dictionary<string, string>(store.Environment)
                    {
                        ["Baseline__JwksFile"] = jwksFile,
                        ["Baseline__Issuer"] = issued.Issuer,
                    };
                    var hostStarted = Stopwatch.GetTimestamp();
                    var host = StartBaseline(context, storeFolder, row.Key, port, environment);
                    stores.Add((row, store, host, port));
                    row.WarmUp = await WarmUp.MeasureAsync(context.Client, hostStarted, "start of the baseline process", [port], tokens,
                        context.Settings.WarmUpProbe, context.CancellationToken);
                    pids.Add(host.Pid);
                    pids.AddRange(store.Pids());
                    contenders.Add(new(row, [new ServerProcess("baseline", host.Pid), store.Server], port));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail([row], $"{row.Key}: {exception.Message}");
                }
            }
            // A door that cannot start fails its own rows; A and Sessions still run their rounds.
            ServerProcess? upstreamProcess = null;
            if (plan.NeedsUpstream)
            {
                try
                {
                    upstream = StartBaseline(context, folder, "upstream", plan.UpstreamPort, new() { ["Baseline__Mode"] = "Trusted" });
                    await context.Client.WaitForFirstOkAsync(plan.UpstreamPort, tokens[0], BenchSettings.StartDeadline, context.CancellationToken);
                    pids.Add(upstream.Pid);
                    upstreamProcess = new ServerProcess("upstream", upstream.Pid);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail([plan.NginxStateless, plan.NginxForwardAuth, plan.Upstream, plan.Gateway, plan.GatewayOpen], $"the upstream did not start: {exception.Message}");
                }
            }
            if (upstreamProcess is not null && plan.NginxStateless is { } nginxA && plan.NginxForwardAuth is { } nginxS)
            {
                try
                {
                    var nginxFolder = context.NewFolder("nginx");
                    nginx = await ThrowawayNginx.StartAsync(context.Paths, nginxFolder, sessionsPort, plan.UpstreamPort, aPort, context.CancellationToken);
                    await context.Client.WaitForFirstOkAsync(nginx.StatelessPort, tokens[0], TimeSpan.FromSeconds(30), context.CancellationToken);
                    await context.Client.WaitForFirstOkAsync(nginx.ForwardAuthPort, tokens[0], TimeSpan.FromSeconds(30), context.CancellationToken);
                    pids.Add(nginx.Pid);
                    var proxy = new ServerProcess("nginx", nginx.Pid);
                    contenders.Add(new(nginxA, [proxy, baseline], nginx.StatelessPort));
                    contenders.Add(new(nginxS, [proxy, silo, upstreamProcess], nginx.ForwardAuthPort, StorageWrites: grainWrites));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail([nginxA, nginxS], $"nginx: {exception.Message}");
                }
            }
            if (upstreamProcess is not null && plan.Upstream is { } direct && plan.Gateway is { } gateway)
            {
                try
                {
                    await context.Client.WaitForFirstOkAsync(sessionsPort, tokens[0], TimeSpan.FromSeconds(30), context.CancellationToken);
                    contenders.Add(new(direct, [upstreamProcess], plan.UpstreamPort));
                    contenders.Add(new(gateway, [silo, upstreamProcess], sessionsPort, "/api/me", grainWrites));
                    if (plan.GatewayOpen is { } open)
                        contenders.Add(new(open, [silo, upstreamProcess], sessionsPort, "/open/me", grainWrites));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail([direct, gateway, plan.GatewayOpen], $"gateway: {exception.Message}");
                }
            }

            var pin = context.Settings.Pin;
            if (pin)
            {
                foreach (var pid in pids)
                    await Pinning.SetAsync(pid, Pinning.ServerCpu, folder, context.CancellationToken);
            }
            // The warm-up above asked only /me; each row's own path (/auth/check, nginx, both gateway routes, YARP's
            // and HttpClient's code) would otherwise be JIT-compiled and tiered up inside its first measured round.
            foreach (var c in contenders)
            {
                await context.WrkAsync(folder, issued.TokensFile, [c.Port], BenchSettings.RowWarmUp, c.Path, pin ? Pinning.WrkCpu : null);
                Progress.Line($"rounds: {c.Result.Key} warmed up ({BenchSettings.RowWarmUp.TotalSeconds:0} s, not measured)");
            }
            for (var round = 0; round < context.Settings.Rounds; round++)
            {
                var order = round % 2 == 0 ? contenders : Enumerable.Reverse(contenders).ToList();
                foreach (var c in order)
                {
                    var load = await LoadMeasurement.MeasureAsync(c.Servers,
                        () => context.WrkAsync(folder, issued.TokensFile, [c.Port], context.Settings.RoundDuration, c.Path, pin ? Pinning.WrkCpu : null),
                        c.StorageWrites);
                    c.Result.Rounds.Add(load);
                    Progress.Line($"round {round + 1}/{context.Settings.Rounds}: {c.Result.Key} {load.RequestsPerSecond:0} req/s, " +
                        $"{load.CpuUsPerRequest:0} µs/req, others {load.OthersBusyPercent:0}%");
                }
            }
            // The silo goes on to the revocation and token-endpoint runs as it always ran them: on every core.
            if (pin)
                await Pinning.SetAsync(sessionsPid, Pinning.AllCpus, folder, context.CancellationToken);
            foreach (var c in contenders)
                c.Result.Load = c.Result.Rounds.OrderBy(l => l.RequestsPerSecond).ElementAt((c.Result.Rounds.Count - 1) / 2);

            Progress.Line("rounds: baseline A, revocation under load (it has none)");
            (plan.BaselineA.Revocation, _) = await Revocation.MeasureAsync(context.Client, "none: a stateless JWT is accepted until it expires",
                () => Task.CompletedTask, () => context.WrkAsync(folder, issued.TokensFile, [aPort], context.Settings.RevocationRun),
                [aPort], issued.Victims[1].AccessToken, context.Settings.RevocationRun, context.CancellationToken);

            foreach (var (row, store, _, port) in stores.Where(s => s.Row.Load is not null))
            {
                Progress.Line($"rounds: {row.Key}, revocation under load");
                (row.Revocation, _) = await Revocation.MeasureAsync(context.Client, store.Mechanism, store.Revoke,
                    () => context.WrkAsync(folder, issued.TokensFile, [port], context.Settings.RevocationRun),
                    [port], issued.Victims[row == plan.BaselineB ? 2 : 3].AccessToken, context.Settings.RevocationRun, context.CancellationToken);
            }

            // Issue 11: no request accepted after a revocation returned, through each door too, under load.
            foreach (var (row, port, path, victim) in new[]
            {
                (plan.NginxForwardAuth, nginx?.ForwardAuthPort, "/me", issued.Victims[4]),
                (plan.Gateway, (int?)sessionsPort, "/api/me", issued.Victims[5]),
            })
            {
                if (row is not { Load: not null } || port is not { } p)
                    continue;
                Progress.Line($"rounds: {row.Key}, revocation under load");
                (row.Revocation, _) = await Revocation.MeasureAsync(context.Client, "POST /admin/users/{id}/revoke, then through the door",
                    () => revokeUser(victim), () => context.WrkAsync(folder, issued.TokensFile, [p], context.Settings.RevocationRun, path),
                    [p], victim.AccessToken, context.Settings.RevocationRun, context.CancellationToken, path);
            }
        }
        finally
        {
            foreach (var (_, store, host, _) in stores)
            {
                await host.DisposeAsync();
                await store.DisposeAsync();
            }
            if (nginx is not null)
                await nginx.DisposeAsync();
            if (upstream is not null)
                await upstream.DisposeAsync();
        }
    }

    private static void Fail(IEnumerable<ConfigResult?> rows, string error)
    {
        Progress.Line($"rounds: FAILED: {error}");
        foreach (var row in rows.OfType<ConfigResult>())
            row.Error ??= error;
    }

    private static ChildProcess StartBaseline(BenchContext context, string folder, string name, int port, Dictionary<string, string> environment)
    {
        environment["urls"] = $"http://127.0.0.1:{port}";
        environment["Logging__LogLevel__Default"] = "Warning";
        return ChildProcess.Start(name, "dotnet", [context.Paths.BaselinesDll], environment,
            Path.GetDirectoryName(context.Paths.BaselinesDll)!, Path.Combine(folder, $"{name}.log"));
    }
}
