using Npgsql;

namespace Sessions.Bench;

/// <summary>
/// The cluster without separate API hosts: two silos on PostgreSQL, each also serving the Api (Sessions:ServeApi=true,
/// the default), wrk split over both. A check whose user grain lives on the silo that took the request stays in
/// process; the rest take one silo-to-silo hop instead of the Api → silo one. Started and stopped by the bench
/// (its own throwaway PostgreSQL, `Silo migrate`, two silo processes), warmed up with the bench's probe like every
/// other row, then measured once, unpinned, like the cluster row.
/// </summary>
internal static class CoHostedRun
{
    public static async Task RunAsync(BenchContext context, ConfigResult result)
    {
        var folder = context.NewFolder("cohosted");
        var cancellationToken = context.CancellationToken;
        Progress.Line("cohosted: PostgreSQL, migrate, 2 silos serving the Api");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var postgres = await ThrowawayPostgres.StartAsync(folder, cancellationToken);
        await postgres.ExecuteAsync("CREATE DATABASE sessions", cancellationToken);
        int[] ports = [FreePorts.One(), FreePorts.One()];
        var environment = context.SessionsEnvironment();
        environment["Cluster__Provider"] = "Postgres";
        environment["ConnectionStrings__Sessions"] = postgres.ConnectionString("sessions");
        environment["Sessions__Issuer"] = $"http://127.0.0.1:{ports[0]}";
        environment["Cluster__AdvertisedIP"] = "127.0.0.1";
        var workingDirectory = Path.GetDirectoryName(context.Paths.SiloDll)!;
        await ChildProcess.RunAsync("dotnet", [context.Paths.SiloDll, "migrate"], environment, workingDirectory,
            Path.Combine(folder, "migrate.log"), TimeSpan.FromSeconds(180), cancellationToken);

        var silos = new List<ChildProcess>();
        try
        {
            for (var n = 0; n < 2; n++)
            {
                var siloEnvironment = new Dictionary<string, string>(environment)
                {
                    ["Sessions__ServeApi"] = "true",
                    ["urls"] = $"http://127.0.0.1:{ports[n]}",
                    ["Cluster__SiloPort"] = FreePorts.One().ToString(),
                    ["Cluster__GatewayPort"] = FreePorts.One().ToString(),
                };
                silos.Add(ChildProcess.Start($"silo{n + 1}", "dotnet", [context.Paths.SiloDll], siloEnvironment, workingDirectory,
                    Path.Combine(folder, $"silo{n + 1}.log")));
            }
            foreach (var port in ports)
                await context.Sessions.WaitUntilServingAsync(port, cancellationToken);
            result.StartSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

            var adminToken = await context.Sessions.LoginAdminAsync(ports[0], BenchContext.AdminUsername, context.AdminPassword, cancellationToken);
            var setup = System.Diagnostics.Stopwatch.StartNew();
            var tokens = await context.Sessions.CreateUsersAsync(ports, "huser", context.Settings.Users + 1, parallelism: 4, cancellationToken);
            result.UserSetupPerSecond = tokens.Length / setup.Elapsed.TotalSeconds;
            var load = tokens[..^1];
            var victim = tokens[^1];
            var tokensFile = Path.Combine(context.NewFolder("tokens"), "sessions-cohosted.txt");
            await File.WriteAllLinesAsync(tokensFile, load.Select(t => t.AccessToken), cancellationToken);
            // Every other row's GET /me path is warmed before wrk (a warm-up probe after a restart); without one this row
            // measured both silos' JIT, over a third of their CPU in a cold 8 s run, not the topology.
            Progress.Line($"cohosted: {tokens.Length} users in {setup.Elapsed.TotalSeconds:0.0} s; warm-up probe on both silos");
            result.WarmUp = await WarmUp.MeasureAsync(context.Client, System.Diagnostics.Stopwatch.GetTimestamp(),
                "both silos, already serving (users just created)", ports, load.Select(t => t.AccessToken).ToArray(),
                context.Settings.WarmUpProbe, cancellationToken);
            // As for the cluster row: the probe alone left the silos' tiered-compilation threads with about 40% of
            // their CPU in the measured run; one unmeasured wrk run of the same length first.
            Progress.Line($"cohosted: steady after {result.WarmUp.SteadySeconds:0.0} s; wrk warm-up {context.Settings.Duration.TotalSeconds:0} s, unmeasured");
            await context.WrkAsync(folder, tokensFile, ports, context.Settings.Duration);
            Progress.Line($"cohosted: measuring {context.Settings.Duration.TotalSeconds:0} s");

            var servers = silos.Select(s => new ServerProcess(s.Name, s.Pid)).ToList();
            servers.Add(new ServerProcess("postgres", postgres.PostmasterPid, IsStore: true, IsTree: true));
            var connectionString = postgres.ConnectionString("sessions") + ";Pooling=false";
            result.Load = await LoadMeasurement.MeasureAsync(servers,
                () => context.WrkAsync(folder, tokensFile, ports, context.Settings.Duration), () => GrainWritesAsync(connectionString));
            Progress.Line($"cohosted: {result.Load.RequestsPerSecond:0} req/s; revocation under load");

            (result.Revocation, _) = await Revocation.MeasureAsync(context.Client, "POST /admin/users/{id}/revoke",
                () => context.Sessions.RevokeUserAsync(ports[0], adminToken, victim.UserId, cancellationToken),
                () => context.WrkAsync(folder, tokensFile, ports, context.Settings.RevocationRun),
                ports, victim.AccessToken, context.Settings.RevocationRun, cancellationToken);
        }
        finally
        {
            foreach (var silo in silos)
                await silo.DisposeAsync();
        }
    }

    /// <summary>As in <see cref="ClusterRun"/>: every grain-state write bumps its row's version by one.</summary>
    private static async Task<long> GrainWritesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(version), 0)::bigint FROM orleans_grain_state", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
