using Npgsql;

namespace Sessions.Bench;

/// <summary>
/// A PostgreSQL server in a temporary folder, started the way deploy/local-cluster.sh starts one: initdb as the
/// postgres user (through runuser when root), pg_ctl on a free loopback port, fsync off. Stopped and removed on dispose.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;

    private ThrowawayPostgres(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=10";

    /// <summary>The postmaster; its children are the backends (see <see cref="ProcStat.TreeTicks"/>).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_folder, "pgdata", "postmaster.pid")).First());

    public static async Task<ThrowawayPostgres> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var bin = FindBin();
        var folder = Path.Combine(workDirectory, "postgres");
        Directory.CreateDirectory(Path.Combine(folder, "pgdata"));
        var log = Path.Combine(workDirectory, "postgres-setup.log");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await ChildProcess.RunAsync("chown", ["-R", "postgres", folder], Empty, workDirectory, log, TimeSpan.FromSeconds(30), cancellationToken);
        }
        var postgres = new ThrowawayPostgres(folder, bin, FreePorts.One());
        await postgres.AsPostgresAsync("initdb", ["-D", Path.Combine(folder, "pgdata"), "-U", "postgres", "--auth=trust", "-E", "UTF8"], log, cancellationToken);
        await postgres.AsPostgresAsync("pg_ctl", ["-D", Path.Combine(folder, "pgdata"), "-l", Path.Combine(folder, "postgres.log"), "-w", "-t", "60",
            "-o", $"-p {postgres.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -c fsync=off -c max_connections=200", "start"],
            log, cancellationToken);
        return postgres;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", Path.Combine(_folder, "pgdata"), "-m", "fast", "-w", "stop"],
                Path.Combine(_folder, "..", "postgres-setup.log"), CancellationToken.None);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            Progress.Line($"  stopping PostgreSQL: {exception.Message}");
        }
    }

    private Task AsPostgresAsync(string tool, string[] arguments, string log, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_bin, tool);
        return Environment.UserName == "root"
            ? ChildProcess.RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments], Empty, "/", log, TimeSpan.FromSeconds(90), cancellationToken)
            : ChildProcess.RunAsync(file, arguments, Empty, "/", log, TimeSpan.FromSeconds(90), cancellationToken);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string FindBin()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL server binaries not found (apt-get install postgresql)");
    }

    private static readonly Dictionary<string, string> Empty = [];
}
