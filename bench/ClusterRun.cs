using System.Diagnostics;
using Npgsql;

namespace Sessions.Bench;

/// <summary>
/// Configuration 2: deploy/local-cluster.sh up (PostgreSQL, 2 silos, 2 Api hosts as processes on 127.0.0.1) with the
/// Release build, wrk split over both Api hosts, and down afterwards whatever happened.
/// </summary>
internal static class ClusterRun
{
    public static async Task RunAsync(BenchContext context, ConfigResult result)
    {
        var folder = context.NewFolder("cluster");
        var state = Path.Combine(folder, "state");
        int[] apiPorts = [FreePorts.One(), FreePorts.One()];
        var pgPort = FreePorts.One();
        var environment = context.SessionsEnvironment();
        environment["SESSIONS_CLUSTER_DIR"] = state;
        environment["SESSIONS_PG_PORT"] = pgPort.ToString();
        environment["SESSIONS_API_PORTS"] = string.Join(' ', apiPorts);
        environment["SESSIONS_SILO_PORT_BASE"] = FreePorts.Base(2).ToString();
        environment["SESSIONS_GATEWAY_PORT_BASE"] = FreePorts.Base(2).ToString();
        environment["SESSIONS_SILO_HTTP_PORT_BASE"] = FreePorts.Base(2).ToString();
        environment["SESSIONS_SKIP_BUILD"] = "1";
        environment["SESSIONS_BUILD_CONFIGURATION"] = "Release";
        var log = Path.Combine(folder, "local-cluster.log");
        Task Script(params string[] arguments) => ChildProcess.RunAsync(context.Paths.ClusterScript, arguments, environment, context.Paths.Root, log,
            TimeSpan.FromSeconds(300), context.CancellationToken);

        try
        {
            Progress.Line($"cluster: local-cluster.sh up (Api hosts on {apiPorts[0]} and {apiPorts[1]})");
            var started = Stopwatch.GetTimestamp();
            await Script("up");
            result.StartSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var adminToken = await context.Sessions.LoginAdminAsync(apiPorts[0], BenchContext.AdminUsername, context.AdminPassword, context.CancellationToken);
            var setup = Stopwatch.StartNew();
            var tokens = await context.Sessions.CreateUsersAsync(apiPorts, "cuser", context.Settings.Users + 1, parallelism: 4, context.CancellationToken);
            result.UserSetupPerSecond = tokens.Length / setup.Elapsed.TotalSeconds;
            var load = tokens[..^1];
            var victim = tokens[^1];
            var tokensFile = Path.Combine(context.NewFolder("tokens"), "sessions-cluster.txt");
            await File.WriteAllLinesAsync(tokensFile, load.Select(t => t.AccessToken), context.CancellationToken);

            // Warm-up of a scale-out event: both Api hosts restarted while the silos keep their grains.
            Progress.Line($"cluster: {tokens.Length} users in {setup.Elapsed.TotalSeconds:0.0} s; restarting both Api hosts");
            await Script("stop-api", "1");
            await Script("stop-api", "2");
            started = Stopwatch.GetTimestamp();
            await Script("start-api", "1");
            await Script("start-api", "2");
            result.WarmUp = await WarmUp.MeasureAsync(context.Client, started, "restart of both Api hosts (silos and PostgreSQL stay up)",
                apiPorts, load.Select(t => t.AccessToken).ToArray(), context.Settings.WarmUpProbe, context.CancellationToken);

            // The probe leaves the Api hosts mid-JIT: in one 8 s wrk run right after it, their tiered-compilation threads
            // took about a third of their CPU. One unmeasured wrk run of the same length first, as the rounds' rows get
            // from their earlier rounds, so the row measures the topology rather than the JIT.
            Progress.Line($"cluster: first 200 after {result.WarmUp.FirstOkSeconds:0.00} s; wrk warm-up {context.Settings.Duration.TotalSeconds:0} s, unmeasured");
            await context.WrkAsync(folder, tokensFile, apiPorts, context.Settings.Duration);
            var pids = Processes(state);
            var servers = new List<ServerProcess>();
            foreach (var name in new[] { "silo1", "silo2", "api1", "api2" })
                servers.Add(new ServerProcess(name, pids[name]));
            var postmaster = int.Parse(File.ReadLines(Path.Combine(state, "pgdata", "postmaster.pid")).First());
            servers.Add(new ServerProcess("postgres", postmaster, IsStore: true, IsTree: true));
            var connectionString = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=sessions;Pooling=false";
            Progress.Line($"cluster: measuring {context.Settings.Duration.TotalSeconds:0} s");
            result.Load = await LoadMeasurement.MeasureAsync(servers,
                () => context.WrkAsync(folder, tokensFile, apiPorts, context.Settings.Duration), () => GrainWritesAsync(connectionString));
            Progress.Line($"cluster: {result.Load.RequestsPerSecond:0} req/s; revocation under load");

            (result.Revocation, _) = await Revocation.MeasureAsync(context.Client, "POST /admin/users/{id}/revoke",
                () => context.Sessions.RevokeUserAsync(apiPorts[0], adminToken, victim.UserId, context.CancellationToken),
                () => context.WrkAsync(folder, tokensFile, apiPorts, context.Settings.RevocationRun),
                apiPorts, victim.AccessToken, context.Settings.RevocationRun, context.CancellationToken);
        }
        finally
        {
            Progress.Line("cluster: local-cluster.sh down");
            try
            {
                // `down` removes the state folder; keep the processes' logs beside the bench's.
                if (Directory.Exists(Path.Combine(state, "logs")))
                {
                    foreach (var file in Directory.GetFiles(Path.Combine(state, "logs")))
                        File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
                }
                await ChildProcess.RunAsync(context.Paths.ClusterScript, ["down"], environment, context.Paths.Root, log,
                    TimeSpan.FromSeconds(120), CancellationToken.None);
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                Progress.Line($"cluster: down failed: {exception.Message}");
            }
        }
    }

    /// <summary>The script's record of what it started; a restarted process's newer line wins.</summary>
    private static Dictionary<string, int> Processes(string state) =>
        File.ReadLines(Path.Combine(state, "processes"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => int.Parse(g.Last()[1]));

    /// <summary>Every grain-state write bumps the row's version by one (an insert starts at 1), so the sum counts writes exactly.</summary>
    private static async Task<long> GrainWritesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(version), 0)::bigint FROM orleans_grain_state", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
