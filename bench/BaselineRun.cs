using System.Diagnostics;
using Npgsql;

namespace Sessions.Bench;

/// <summary>
/// Configurations 3-5: bench/Baselines (stock JwtBearer, same pinned parameters, Sessions' public key) verifying the
/// single-process run's tokens, with no lookup (A), a Redis denylist (B) or a PostgreSQL session row (C) per request.
/// </summary>
internal static class BaselineRun
{
    public enum Store
    {
        None,
        Redis,
        Postgres,
    }

    public static async Task RunAsync(BenchContext context, ConfigResult result, IssuedSet issued, Store store, IssuedToken victim)
    {
        var folder = context.NewFolder($"baseline-{store}".ToLowerInvariant());
        var jwksFile = Path.Combine(folder, "jwks.json");
        await File.WriteAllTextAsync(jwksFile, issued.Jwks, context.CancellationToken);
        var http = FreePorts.One();
        var environment = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{http}",
            ["Baseline__JwksFile"] = jwksFile,
            ["Baseline__Issuer"] = issued.Issuer,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var servers = new List<ServerProcess>();
        ThrowawayRedis? redis = null;
        ThrowawayPostgres? postgres = null;
        Func<Task> revoke = () => Task.CompletedTask;
        var mechanism = "none: a stateless JWT is accepted until it expires";
        try
        {
            switch (store)
            {
                case Store.Redis:
                    redis = await ThrowawayRedis.StartAsync(folder, context.CancellationToken);
                    await FillDenylistAsync(redis, context.Settings.FillerRows);
                    environment["Baseline__Mode"] = "Redis";
                    environment["Baseline__Redis"] = redis.Configuration;
                    servers.Add(new ServerProcess("redis-server", redis.Pid, IsStore: true));
                    mechanism = "SET revoked:{jti} with the token's remaining lifetime";
                    revoke = () => redis.Connection.GetDatabase().StringSetAsync("revoked:" + victim.Jti, "1", TimeSpan.FromDays(1));
                    break;
                case Store.Postgres:
                    postgres = await ThrowawayPostgres.StartAsync(folder, context.CancellationToken);
                    await FillSessionTableAsync(postgres, issued, context.Settings.FillerRows, context.CancellationToken);
                    environment["Baseline__Mode"] = "Postgres";
                    // Pooling is Npgsql's default; automatic preparation is the one setting a team tuning this path would add.
                    environment["Baseline__Postgres"] = postgres.ConnectionString() + ";Max Auto Prepare=8";
                    servers.Add(new ServerProcess("postgres", postgres.PostmasterPid, IsStore: true, IsTree: true));
                    mechanism = "UPDATE sessions SET revoked = true WHERE sid = ...";
                    revoke = () => postgres.ExecuteAsync("UPDATE sessions SET revoked = true WHERE sid = $1", context.CancellationToken, victim.SessionId);
                    break;
            }

            Progress.Line($"{result.Key}: starting the baseline host (port {http})");
            var started = Stopwatch.GetTimestamp();
            await using var host = ChildProcess.Start("baseline", "dotnet", [context.Paths.BaselinesDll], environment,
                Path.GetDirectoryName(context.Paths.BaselinesDll)!, Path.Combine(folder, "baseline.log"));
            servers.Insert(0, new ServerProcess("baseline", host.Pid));
            var tokens = issued.Load.Select(t => t.AccessToken).ToArray();
            result.WarmUp = await WarmUp.MeasureAsync(context.Client, started, "start of the baseline process", [http], tokens,
                context.Settings.WarmUpProbe, context.CancellationToken);
            Progress.Line($"{result.Key}: first 200 after {result.WarmUp.FirstOkSeconds:0.00} s; measuring {context.Settings.Duration.TotalSeconds:0} s");

            result.Load = await LoadMeasurement.MeasureAsync(servers,
                () => context.WrkAsync(folder, issued.TokensFile, [http], context.Settings.Duration), storageWrites: null);
            Progress.Line($"{result.Key}: {result.Load.RequestsPerSecond:0} req/s; revocation under load");
            (result.Revocation, _) = await Revocation.MeasureAsync(context.Client, mechanism, revoke,
                () => context.WrkAsync(folder, issued.TokensFile, [http], context.Settings.RevocationRun),
                [http], victim.AccessToken, context.Settings.RevocationRun, context.CancellationToken);
        }
        finally
        {
            if (redis is not null)
                await redis.DisposeAsync();
            if (postgres is not null)
                await postgres.DisposeAsync();
        }
    }

    /// <summary>Other users' revoked tokens, so the lookup runs against a populated keyspace rather than an empty one.</summary>
    private static async Task FillDenylistAsync(ThrowawayRedis redis, int rows)
    {
        var database = redis.Connection.GetDatabase();
        for (var start = 0; start < rows; start += 1000)
        {
            var batch = database.CreateBatch();
            var writes = Enumerable.Range(start, Math.Min(1000, rows - start))
                .Select(i => batch.StringSetAsync($"revoked:filler-{i:D8}", "1", TimeSpan.FromDays(1))).ToArray();
            batch.Execute();
            await Task.WhenAll(writes);
        }
    }

    private static async Task FillSessionTableAsync(ThrowawayPostgres postgres, IssuedSet issued, int fillerRows, CancellationToken cancellationToken)
    {
        await postgres.ExecuteAsync("CREATE TABLE sessions (sid text PRIMARY KEY, revoked bool NOT NULL DEFAULT false, last_seen timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        await postgres.ExecuteAsync($"INSERT INTO sessions (sid) SELECT 'filler-' || g FROM generate_series(1, {fillerRows}) g", cancellationToken);
        await using var connection = new NpgsqlConnection(postgres.ConnectionString());
        await connection.OpenAsync(cancellationToken);
        foreach (var token in issued.Load.Concat(issued.Victims))
        {
            await using var command = new NpgsqlCommand("INSERT INTO sessions (sid) VALUES ($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = token.SessionId });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await postgres.ExecuteAsync("ANALYZE sessions", cancellationToken);
    }
}
