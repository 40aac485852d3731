using StackExchange.Redis;

namespace Sessions.Bench;

/// <summary>redis-server on a free loopback port with no persistence, as a cache-only denylist would run. Stopped on dispose.</summary>
internal sealed class ThrowawayRedis : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ThrowawayRedis(ChildProcess process, int port, ConnectionMultiplexer connection)
    {
        _process = process;
        Port = port;
        Connection = connection;
    }

    public int Port { get; }

    public int Pid => _process.Pid;

    /// <summary>The bench's own connection, for filling the denylist and revoking.</summary>
    public ConnectionMultiplexer Connection { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<ThrowawayRedis> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var port = FreePorts.One();
        var process = ChildProcess.Start("redis", "redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workDirectory],
            new Dictionary<string, string>(), workDirectory, Path.Combine(workDirectory, "redis.log"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return new ThrowawayRedis(process, port, connection);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _process.DisposeAsync();
    }
}
