using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Sessions.Bench;

/// <summary>
/// Configuration 1: the single-process default (the Release Silo dll, SQLite, a fresh temp data folder). Users are
/// created on a first start; the measured process is a restart on that data, so warm-up includes reloading grains.
/// </summary>
internal static class SingleProcessRun
{
    /// <summary>One victim each: the single process, A, B, C, nginx → Sessions, the gateway.</summary>
    public const int Victims = 6;

    /// <summary>Users of the password- and refresh-grant runs, apart from the GET /me users so their sessions are left alone.</summary>
    public const int TokenUsers = BenchSettings.RefreshWorkers;

    private const string TokenUserPrefix = "token";

    // What the measured process hashes with: it leaves Sessions:PasswordHashing:* at the shipped default (OWASP's).
    private const string PasswordHash = "Argon2id, 19 MiB, 2 passes, 1 lane (OWASP's minimum)";

    public static async Task<IssuedSet?> RunAsync(BenchContext context, RoundsPlan plan)
    {
        var folder = context.NewFolder("single");
        var data = Path.Combine(folder, "data");
        var http = FreePorts.One();
        var environment = context.SessionsEnvironment();
        environment["urls"] = $"http://127.0.0.1:{http}";
        environment["Sessions__Issuer"] = $"http://127.0.0.1:{http}";
        environment["Sessions__DataDirectory"] = data;
        environment["Cluster__SiloPort"] = FreePorts.One().ToString();
        environment["Cluster__GatewayPort"] = FreePorts.One().ToString();
        plan.AddGateway(environment);
        var result = plan.Sessions;
        ChildProcess Start() => ChildProcess.Start("silo", "dotnet", [context.Paths.SiloDll], environment,
            Path.GetDirectoryName(context.Paths.SiloDll)!, Path.Combine(folder, "silo.log"));

        IssuedToken[] tokens;
        string jwks, adminToken;
        Progress.Line($"single: first start (port {http}), creating {context.Settings.Users} users");
        var started = Stopwatch.GetTimestamp();
        await using (var first = Start())
        {
            await context.Sessions.WaitUntilServingAsync(http, context.CancellationToken);
            result.StartSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            adminToken = await context.Sessions.LoginAdminAsync(http, BenchContext.AdminUsername, context.AdminPassword, context.CancellationToken);
            var setup = Stopwatch.StartNew();
            tokens = await context.Sessions.CreateUsersAsync([http], "user", context.Settings.Users + Victims, parallelism: 4, context.CancellationToken);
            result.UserSetupPerSecond = tokens.Length / setup.Elapsed.TotalSeconds;
            await context.Sessions.CreateUsersAsync([http], TokenUserPrefix, TokenUsers, parallelism: 4, context.CancellationToken);
            jwks = await context.Sessions.GetJwksAsync(http, context.CancellationToken);
            Progress.Line($"single: {tokens.Length} users in {setup.Elapsed.TotalSeconds:0.0} s; restarting on the same data");
        }

        var load = tokens[..^Victims];
        var victims = tokens[^Victims..];
        var tokensFile = Path.Combine(context.NewFolder("tokens"), "sessions-single.txt");
        await File.WriteAllLinesAsync(tokensFile, load.Select(t => t.AccessToken), context.CancellationToken);
        var issued = new IssuedSet($"http://127.0.0.1:{http}", jwks, load, victims, tokensFile);

        var twin = plan.TelemetryOff is null ? ((ChildProcess Process, int Port)?)null : await StartTelemetryOffAsync(context, folder, data, environment);
        await using var twinProcess = twin?.Process;
        if (twin is { } running && plan.TelemetryOff is { } twinRow)
        {
            // Warmed up as the measured silo is (below), so neither side of the pair is still JIT-compiling in round one.
            twinRow.WarmUp = await WarmUp.MeasureAsync(context.Client, Stopwatch.GetTimestamp(), "the telemetry-off twin, already serving",
                [running.Port], load.Select(t => t.AccessToken).ToArray(), context.Settings.WarmUpProbe, context.CancellationToken);
        }

        started = Stopwatch.GetTimestamp();
        await using var server = Start();
        result.WarmUp = await WarmUp.MeasureAsync(context.Client, started, "restart of the Silo process on its existing data",
            [http], load.Select(t => t.AccessToken).ToArray(), context.Settings.WarmUpProbe, context.CancellationToken);
        Progress.Line($"single: first 200 after {result.WarmUp.FirstOkSeconds:0.00} s; {context.Settings.Rounds} rounds of {context.Settings.RoundDuration.TotalSeconds:0} s per row");

        var database = Path.Combine(data, "sessions.db");
        // GET /me (and /auth/check, nginx, the gateway, when asked) alternating with baseline A, round after round.
        await RoundsRun.RunAsync(context, plan, issued, http, server.Pid, twin is { } t ? (t.Port, t.Process.Pid) : null, () => GrainWritesAsync(database),
            victim => context.Sessions.RevokeUserAsync(http, adminToken, victim.UserId, context.CancellationToken));
        Progress.Line($"single: {result.Load?.RequestsPerSecond:0} req/s (median round)");
        Progress.Line("single: revocation under load");

        var victim = victims[0];
        (result.Revocation, _) = await Revocation.MeasureAsync(context.Client, "POST /admin/users/{id}/revoke",
            () => context.Sessions.RevokeUserAsync(http, adminToken, victim.UserId, context.CancellationToken),
            () => context.WrkAsync(folder, tokensFile, [http], context.Settings.RevocationRun),
            [http], victim.AccessToken, context.Settings.RevocationRun, context.CancellationToken);

        // The token endpoint at the shipped password-hash cost: logins, then refresh rotations.
        var tokenUsers = Enumerable.Range(0, TokenUsers).Select(i => $"{TokenUserPrefix}{i:D5}").ToArray();
        Progress.Line($"single: password grants, {BenchSettings.LoginWorkers} workers, {context.Settings.TokenRun.TotalSeconds:0} s");
        result.Logins = await TokenLoad.LoginsAsync(context, http, server.Pid, tokenUsers[..BenchSettings.LoginWorkers],
            $"{PasswordHash}, then an ES256 signature");
        Progress.Line($"single: {result.Logins.OkPerSecond:0.0} logins/s; refresh grants, {BenchSettings.RefreshWorkers} workers");
        result.Refreshes = await TokenLoad.RefreshesAsync(context, http, server.Pid, tokenUsers);
        Progress.Line($"single: {result.Refreshes.OkPerSecond:0} refreshes/s, {result.Refreshes.ReuseDetections} reuse detections");
        return issued;
    }

    /// <summary>
    /// The telemetry-off twin: the first start's data copied (SQLite file and Data Protection keys, so the same users,
    /// signing keys and tokens; the issuer stays the measured silo's), its own ports, metrics and traces off.
    /// </summary>
    private static async Task<(ChildProcess Process, int Port)> StartTelemetryOffAsync(BenchContext context, string folder, string data, Dictionary<string, string> measured)
    {
        var copy = Path.Combine(folder, "data-telemetry-off");
        CopyDirectory(data, copy);
        var port = FreePorts.One();
        var environment = new Dictionary<string, string>(measured)
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Sessions__DataDirectory"] = copy,
            ["Cluster__SiloPort"] = FreePorts.One().ToString(),
            ["Cluster__GatewayPort"] = FreePorts.One().ToString(),
            ["Sessions__Telemetry__Metrics"] = "false",
            ["Sessions__Telemetry__Traces"] = "false",
        };
        Progress.Line($"single: starting the telemetry-off twin (port {port}) on a copy of the data");
        var twin = ChildProcess.Start("silo-telemetry-off", "dotnet", [context.Paths.SiloDll], environment,
            Path.GetDirectoryName(context.Paths.SiloDll)!, Path.Combine(folder, "silo-telemetry-off.log"));
        try
        {
            await context.Sessions.WaitUntilServingAsync(port, context.CancellationToken);
        }
        catch
        {
            await twin.DisposeAsync();
            throw;
        }
        return (twin, port);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.GetDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    /// <summary>Every grain-state write bumps its row's etag by one (an insert starts at 1), so the sum counts writes exactly.</summary>
    private static async Task<long> GrainWritesAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(etag), 0) FROM grain_state";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
