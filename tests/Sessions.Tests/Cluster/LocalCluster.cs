using System.Diagnostics;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster;

/// <summary>
/// The real topology as processes: deploy/local-cluster.sh brings up PostgreSQL, two silos and two API hosts on
/// loopback, on ports of their own, from the build the test run already made. Faults are injected through the
/// script's verbs (kill-silo, stop-postgres, ...), exactly as an operator would.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    private static readonly string Root = FindRoot();
    private readonly Dictionary<string, string> _environment;

    public LocalCluster()
    {
        var state = Path.Combine(Path.GetTempPath(), "sessions-tests", "cluster-" + Guid.NewGuid().ToString("N")[..8]);
        ApiPorts = [FreePorts.Next(), FreePorts.Next()];
        var siloBase = 20000 + Random.Shared.Next(0, 400) * 10;
        _environment = new Dictionary<string, string>
        {
            ["SESSIONS_CLUSTER_DIR"] = state,
            ["SESSIONS_PG_PORT"] = FreePorts.Next().ToString(),
            ["SESSIONS_API_PORTS"] = string.Join(' ', ApiPorts),
            ["SESSIONS_SILO_PORT_BASE"] = siloBase.ToString(),
            ["SESSIONS_GATEWAY_PORT_BASE"] = (siloBase + 5).ToString(),
            ["SESSIONS_SILO_HTTP_PORT_BASE"] = (siloBase + 100).ToString(),
            ["SESSIONS_BUILD_CONFIGURATION"] = BuildConfiguration(),
            ["SESSIONS_SKIP_BUILD"] = "1",
            // The same first admin as the single-process tests, so SessionsClient.AdminLogin works against either.
            ["Sessions__BootstrapAdmin__Username"] = SessionsApp.AdminUsername,
            ["Sessions__BootstrapAdmin__Password"] = SessionsApp.AdminPassword,
            ["Sessions__KeyRingLease"] = "00:00:03",
            ["Sessions__RateLimit__TokenRequestsPerMinute"] = "100000",
            // Declare a killed silo dead in seconds, not the production default's tens of seconds.
            ["Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public int[] ApiPorts { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={_environment["SESSIONS_PG_PORT"]};Username=postgres;Database=sessions";

    public int SiloPort(int n) => int.Parse(_environment["SESSIONS_SILO_PORT_BASE"]) + n;

    public Uri Api(int host) => new($"http://127.0.0.1:{ApiPorts[host]}");

    public SessionsClient Client(int host) => new(new HttpClient { BaseAddress = Api(host), Timeout = TimeSpan.FromSeconds(60) });

    public Task InitializeAsync() => Run("up", TimeSpan.FromMinutes(4));

    public Task DisposeAsync() => Run("down", TimeSpan.FromMinutes(2));

    public Task KillSilo(int n) => Run($"kill-silo {n}", TimeSpan.FromSeconds(30));

    public Task StopSilo(int n) => Run($"stop-silo {n}", TimeSpan.FromSeconds(60));

    public async Task StartSilo(int n)
    {
        await Run($"start-silo {n}", TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        try
        {
            await Eventually.Succeeds(async () => (await http.GetAsync($"http://127.0.0.1:{SiloHttpPort(n)}/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(90));
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"silo {n} did not become ready: {exception.Message}{Logs()}", exception);
        }
    }

    public Task StopApi(int n) => Run($"stop-api {n}", TimeSpan.FromSeconds(60));

    /// <summary>Starts an API host process; it is listening (not necessarily connected) when this returns.</summary>
    public async Task StartApi(int n)
    {
        await Run($"start-api {n}", TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        await Eventually.Succeeds(async () => (await http.GetAsync(new Uri(Api(n - 1), "/health/live"))).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
    }

    public Task StopPostgres() => Run("stop-postgres", TimeSpan.FromSeconds(60));

    public Task StartPostgres() => Run("start-postgres", TimeSpan.FromSeconds(60));

    /// <summary>An operator verb of the silo host against this cluster (deploy/local-cluster.sh silo VERB ...).</summary>
    public Task<(int ExitCode, string Output)> Operator(string arguments) => Execute($"silo {arguments}", TimeSpan.FromSeconds(60));

    public int SiloHttpPort(int n) => int.Parse(_environment["SESSIONS_SILO_HTTP_PORT_BASE"]) + n;

    private async Task Run(string verb, TimeSpan timeout)
    {
        var (exitCode, output) = await Execute(verb, timeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"local-cluster.sh {verb} failed ({exitCode}): {output}{Logs()}");
    }

    private async Task<(int ExitCode, string Output)> Execute(string verb, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", $"deploy/local-cluster.sh {verb}") { WorkingDirectory = Root };
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        var (exitCode, output, error) = await ChildProcess.Run(start, timeout);
        return (exitCode, output + error);
    }

    private string Logs()
    {
        var logs = Path.Combine(_environment["SESSIONS_CLUSTER_DIR"], "logs");
        return Directory.Exists(logs)
            ? string.Concat(Directory.GetFiles(logs).Select(f => $"\n--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(30))}"))
            : "";
    }

    private static string BuildConfiguration() =>
        typeof(LocalCluster).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sessions.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Sessions.sln not found above the test binaries.");
    }
}
