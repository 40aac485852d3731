using Npgsql;

namespace Sessions.Bench;

/// <summary>
/// The store behind baselines B and C, started for the rounds: redis-server with a filled denylist (B) or PostgreSQL
/// with a filled session table (C), the settings the baseline host needs to use it, and how to revoke the victim
/// there. Stopped on dispose.
/// </summary>
internal sealed class BaselineStore : IAsyncDisposable
{
    private readonly ThrowawayRedis? _redis;
    private readonly ThrowawayPostgres? _postgres;

    private BaselineStore(ThrowawayRedis? redis, ThrowawayPostgres? postgres, Dictionary<string, string> environment, ServerProcess server,
        string mechanism, Func<Task> revoke)
    {
        _redis = redis;
        _postgres = postgres;
        Environment = environment;
        Server = server;
        Mechanism = mechanism;
        Revoke = revoke;
    }

    public enum Kind
    {
        Redis,
        Postgres,
    }

    /// <summary>Baseline__* settings for the host that uses this store.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The store's process, counted as "store" CPU (PostgreSQL: the postmaster and its backends).</summary>
    public ServerProcess Server { get; }

    public string Mechanism { get; }

    public Func<Task> Revoke { get; }

    /// <summary>The processes to pin: redis-server; the postmaster and the backends it has now (later ones fork from it and inherit).</summary>
    public IEnumerable<int> Pids() => Server.IsTree ? [Server.Pid, .. ProcStat.Children(Server.Pid)] : [Server.Pid];

    public static async Task<BaselineStore> StartAsync(BenchContext context, string folder, Kind kind, IssuedSet issued, IssuedToken victim)
    {
        if (kind == Kind.Redis)
        {
            var redis = await ThrowawayRedis.StartAsync(folder, context.CancellationToken);
            try
            {
                await FillDenylistAsync(redis, context.Settings.FillerRows);
            }
            catch
            {
                await redis.DisposeAsync();
                throw;
            }
            return new BaselineStore(redis, null, new() { ["Baseline__Mode"] = "Redis", ["Baseline__Redis"] = redis.Configuration },
                new ServerProcess("redis-server", redis.Pid, IsStore: true), "SET revoked:{jti} with the token's remaining lifetime",
                () => redis.Connection.GetDatabase().StringSetAsync("revoked:" + victim.Jti, "1", TimeSpan.FromDays(1)));
        }
        var postgres = await ThrowawayPostgres.StartAsync(folder, context.CancellationToken);
        try
        {
            await FillSessionTableAsync(postgres, issued, context.Settings.FillerRows, context.CancellationToken);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
        // Pooling is Npgsql's default; automatic preparation is the one setting a team tuning this path would add.
        return new BaselineStore(null, postgres,
            new() { ["Baseline__Mode"] = "Postgres", ["Baseline__Postgres"] = postgres.ConnectionString() + ";Max Auto Prepare=8" },
            new ServerProcess("postgres", postgres.PostmasterPid, IsStore: true, IsTree: true), "UPDATE sessions SET revoked = true WHERE sid = ...",
            () => postgres.ExecuteAsync("UPDATE sessions SET revoked = true WHERE sid = $1", context.CancellationToken, victim.SessionId));
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
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
