using System.Diagnostics;
using Npgsql;
using Sessions.Silo.Database;

namespace Sessions.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for tests. With SESSIONS_TEST_POSTGRES set (a server-level Npgsql connection string) that
/// server is used; otherwise a throwaway server is initialised in a temporary folder, listens on a free loopback
/// port with trust authentication and no fsync, and is killed and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ServerVariable = "SESSIONS_TEST_POSTGRES";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _external = Environment.GetEnvironmentVariable(ServerVariable);
    private string? _adminConnectionString;

    /// <summary>The temporary folder holding the data directory, the socket and the server log; null for an external server.</summary>
    public string? WorkDirectory { get; private set; }

    /// <summary>The throwaway server's data directory (pg_ctl -D); null for an external server.</summary>
    public string? DataDirectory => WorkDirectory is null ? null : Path.Combine(WorkDirectory, "data");

    /// <summary>The server log, worth reading when a test fails; null for an external server.</summary>
    public string? LogFile => WorkDirectory is null ? null : Path.Combine(WorkDirectory, "server.log");

    /// <summary>The folder holding initdb, pg_ctl and postgres; null for an external server.</summary>
    public string? BinDirectory { get; private set; }

    /// <summary>The throwaway server's TCP port; 0 for an external server.</summary>
    public int Port { get; private set; }

    /// <summary>Whether <see cref="StopAsync"/> and <see cref="StartAsync"/> work: only for the throwaway server.</summary>
    public bool CanRestart => WorkDirectory is not null;

    /// <summary>A superuser connection to the server's maintenance database.</summary>
    public string AdminConnectionString => _adminConnectionString ?? throw new InvalidOperationException("The server has not been started.");

    public async Task InitializeAsync()
    {
        if (!string.IsNullOrWhiteSpace(_external))
        {
            _adminConnectionString = _external;
            return;
        }

        BinDirectory = await FindBinDirectoryAsync();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "sessions-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(WorkDirectory);
        if (RunningAsRoot)
            await RunAsync("chown", ["postgres:postgres", WorkDirectory], asPostgres: false);

        await RunAsync(Path.Combine(BinDirectory, "initdb"),
            ["-D", DataDirectory!, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);

        Port = FreePorts.Next();
        _adminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = "postgres",
        }.ToString();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (WorkDirectory is null)
            return;
        await StopAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>Creates an empty database, applies the Sessions schema with <see cref="DatabaseMigrator"/>, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        var connectionString = await CreateEmptyDatabaseAsync(ct);
        await DatabaseMigrator.MigrateAsync(connectionString, ct);
        return connectionString;
    }

    /// <summary>Creates an empty database without the schema, for tests of the migration itself.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(CancellationToken ct = default)
    {
        var name = "sessions_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    /// <summary>Kills the throwaway server at once, as a crash would; connections drop and new ones are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        EnsureRestartable();
        await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["stop", "-D", DataDirectory!, "-m", "immediate", "-w"]);
    }

    /// <summary>Starts the throwaway server on its port and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        EnsureRestartable();
        // A server time zone far from UTC, so a timestamp written or read without its zone shows up as a wrong instant.
        // Every test database keeps its own client pools (a silo holds several) idle for minutes: the default 100
        // connections run out once the fence's and the operator verbs' silos share the server with the storage tests.
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={WorkDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c TimeZone=Pacific/Chatham";
        await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["start", "-D", DataDirectory!, "-l", LogFile!, "-o", options, "-w", "-t", "60"]);
    }

    private void EnsureRestartable()
    {
        if (!CanRestart)
            throw new InvalidOperationException($"The server from {ServerVariable} is not ours to stop or start.");
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static async Task<string> FindBinDirectoryAsync()
    {
        try
        {
            var bin = (await RunAsync("pg_config", ["--bindir"], asPostgres: false)).Trim();
            if (File.Exists(Path.Combine(bin, "pg_ctl")))
                return bin;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No pg_config on PATH; fall back to the Debian layout.
        }

        var debian = new DirectoryInfo("/usr/lib/postgresql");
        var newest = debian.Exists
            ? debian.GetDirectories()
                .Where(version => File.Exists(Path.Combine(version.FullName, "bin", "pg_ctl")))
                .OrderByDescending(version => int.TryParse(version.Name, out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return newest is not null
            ? Path.Combine(newest.FullName, "bin")
            : throw new InvalidOperationException($"No PostgreSQL binaries found (pg_config --bindir, /usr/lib/postgresql/*/bin); install PostgreSQL or set {ServerVariable}.");
    }

    // PostgreSQL refuses to run as root, so as root the server tools run as the postgres OS user.
    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres && RunningAsRoot)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", program })
                start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = program;
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        var (exitCode, output, error) = await ChildProcess.Run(start, CommandTimeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {error}{output}");
        return output;
    }
}
