using System.Diagnostics;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster;

/// <summary>
/// The compose topology with a real network between its parts (deploy/netns-cluster.sh): PostgreSQL, two silos and
/// two API hosts, each in a network namespace of its own on one bridge, faults injected by dropping packets with
/// nftables. Needs root; a run that cannot create namespaces fails rather than passing by doing nothing.
/// </summary>
public sealed class NetnsCluster : IAsyncLifetime
{
    public const string Hint = "The partition suite needs root with iproute2 and nftables (.ci/run installs them); run it as root.";
    private static readonly string Root = FindRoot();
    private static readonly Dictionary<string, string> ShortTimings = new()
    {
        // Declare a silo dead in seconds: the same timings as LocalCluster, so a scenario fits CI's budget.
        ["Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
    };

    private readonly string _state = Path.Combine(Path.GetTempPath(), "sessions-tests", "netns-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, string> _environment;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private string _subnet = "";
    private bool _up;

    public NetnsCluster()
    {
        _environment = new Dictionary<string, string>
        {
            ["SESSIONS_NETNS_DIR"] = _state,
            ["SESSIONS_BUILD_CONFIGURATION"] = BuildConfiguration(),
            ["Sessions__BootstrapAdmin__Username"] = SessionsApp.AdminUsername,
            ["Sessions__BootstrapAdmin__Password"] = SessionsApp.AdminPassword,
            ["Sessions__KeyRingLease"] = "00:00:03",
            ["Sessions__RateLimit__TokenRequestsPerMinute"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>Whether the silos run with Orleans' own membership timings (the production case) rather than the short ones.</summary>
    public bool DefaultTimings { get; private set; }

    /// <summary>How often an Api host had to be restarted because it did not become ready between scenarios.</summary>
    public int NotReadyRestarts { get; private set; }

    public string LogFolder => Path.Combine(_state, "logs");

    public static readonly string[] Hosts = ["pg", "silo1", "silo2", "api1", "api2"];

    public Uri Api(int n) => new($"http://{_subnet}.{20 + n}:8080");

    public Uri Silo(int n) => new($"http://{_subnet}.{10 + n}:8080");

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            throw new InvalidOperationException($"{Hint} (running as {Environment.UserName})");
        var (code, output) = await Execute("ip", "netns list", TimeSpan.FromSeconds(10));
        if (code != 0)
            throw new InvalidOperationException($"{Hint} (`ip netns list` failed: {output})");
        await Run("cleanup-stale", TimeSpan.FromSeconds(30));
        _up = true;
        try
        {
            await Start();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task Start()
    {
        var up = await Run("up", TimeSpan.FromMinutes(2));
        _subnet = up.Split("subnet=")[1].Split(' ')[0].Trim();
        foreach (var (key, value) in ShortTimings)
            _environment[key] = value;
        await Run("start-silo 1", TimeSpan.FromSeconds(10));
        await Run("start-api 1", TimeSpan.FromSeconds(10));
        await Run("start-api 2", TimeSpan.FromSeconds(10));
        await WaitReady(Silo(1), TimeSpan.FromSeconds(90), "silo1");
    }

    public async Task DisposeAsync()
    {
        if (_up)
            await Run("down", TimeSpan.FromMinutes(1));
        _up = false;
        _probe.Dispose();
        // The logs stay (a few MB) for whoever reads a failure; the database went with `down`.
    }

    public Task Cut(string a, string b) => Run($"cut {a} {b}", TimeSpan.FromSeconds(10));

    public Task CutOneWay(string from, string to) => Run($"cut-oneway {from} {to}", TimeSpan.FromSeconds(10));

    public Task Isolate(params string[] hosts) => Run($"isolate {string.Join(' ', hosts)}", TimeSpan.FromSeconds(20));

    public Task Heal() => Run("heal", TimeSpan.FromSeconds(10));

    public Task StopSilo(int n) => Run($"stop-silo {n}", TimeSpan.FromSeconds(30));

    public Task KillSilo(int n) => Run($"kill-silo {n}", TimeSpan.FromSeconds(30));

    public Task StartSilo(int n) => Run($"start-silo {n}", TimeSpan.FromSeconds(10));

    /// <summary>Whether the process last started as this host (silo1, api2, ...) is still running.</summary>
    public bool IsRunning(string host)
    {
        var processes = Path.Combine(_state, "processes");
        var pid = File.ReadLines(processes).Select(l => l.Split(' ')).LastOrDefault(p => p[0] == host)?[1];
        return pid is not null && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
    }

    /// <summary>
    /// Makes placement deterministic for the next scenario: silo2 stops, so every grain the caller activates now lands
    /// on silo1; <see cref="JoinSilo2"/> brings it back afterwards. Switches the membership timings on the way.
    /// </summary>
    public async Task OnlySilo1(bool defaultTimings)
    {
        await Heal();
        await StopSilo(2);
        if (defaultTimings != DefaultTimings || !IsRunning("silo1"))
        {
            await StopSilo(1);
            foreach (var key in ShortTimings.Keys)
            {
                if (defaultTimings)
                    _environment.Remove(key);
                else
                    _environment[key] = ShortTimings[key];
            }
            DefaultTimings = defaultTimings;
            await StartSilo(1);
        }
        await WaitReady(Silo(1), TimeSpan.FromSeconds(90), "silo1");
        foreach (var n in new[] { 1, 2 })
        {
            if (!IsRunning($"api{n}"))
                await Run($"start-api {n}", TimeSpan.FromSeconds(10));
            try
            {
                await WaitReady(Api(n), TimeSpan.FromSeconds(30), $"api{n}");
            }
            catch (TimeoutException)
            {
                // Not this scenario's fault: note it for the report, and restart the host so the next scenario can run.
                File.AppendAllText(Path.Combine(LogFolder, "harness.log"), $"{DateTime.UtcNow:O} api{n} not ready 30 s into a scenario's preparation; restarted\n");
                NotReadyRestarts++;
                await Run($"kill-api {n}", TimeSpan.FromSeconds(10));
                await Run($"start-api {n}", TimeSpan.FromSeconds(10));
                await WaitReady(Api(n), TimeSpan.FromSeconds(60), $"api{n}");
            }
        }
    }

    public async Task JoinSilo2()
    {
        await StartSilo(2);
        await WaitReady(Silo(2), TimeSpan.FromSeconds(90), "silo2");
    }

    /// <summary>
    /// Waits until every host answers /health/ready 200, restarting a silo that exited (declared dead) as a supervisor
    /// would; returns the longest any host that ran through the heal took, the longest a restarted silo took from its
    /// restart (a cold start; zero when none was restarted), and each host's time from the call.
    /// </summary>
    public async Task<(TimeSpan All, TimeSpan RestartedStart, string PerHost)> Converge(TimeSpan within)
    {
        var started = Stopwatch.StartNew();
        var hosts = new Dictionary<string, Uri> { ["silo1"] = Silo(1), ["silo2"] = Silo(2), ["api1"] = Api(1), ["api2"] = Api(2) };
        var readyAt = new Dictionary<string, TimeSpan>();
        var restarted = new List<string>();
        var restartedAt = new Dictionary<string, TimeSpan>();
        try
        {
            await Eventually.Succeeds(async () =>
            {
                foreach (var n in new[] { 1, 2 })
                {
                    // A silo that learns after the heal that it was declared dead exits: restart it then.
                    if (!IsRunning($"silo{n}"))
                    {
                        restarted.Add($"silo{n} restarted at {started.Elapsed.TotalSeconds:0.0} s");
                        readyAt.Remove($"silo{n}");
                        restartedAt[$"silo{n}"] = started.Elapsed;
                        await StartSilo(n);
                    }
                }
                foreach (var (name, uri) in hosts)
                {
                    if (!readyAt.ContainsKey(name) && await IsReady(uri))
                        readyAt[name] = started.Elapsed;
                }
                return readyAt.Count == hosts.Count;
            }, within, "every host ready after the heal");
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} Ready: {Describe()}{Logs()}", exception);
        }
        // A restarted silo is a new process: its start-up is counted from its restart, apart from the hosts that healed.
        var healed = readyAt.Where(r => !restartedAt.ContainsKey(r.Key)).Select(r => r.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
        var cold = readyAt.Where(r => restartedAt.ContainsKey(r.Key)).Select(r => r.Value - restartedAt[r.Key]).DefaultIfEmpty(TimeSpan.Zero).Max();
        return (healed, cold, Describe());

        string Describe() => string.Join(", ", hosts.Keys.Select(h => readyAt.TryGetValue(h, out var at) ? $"{h} {at.TotalSeconds:0.0} s" : $"{h} not ready")
            .Concat(restarted));
    }

    public async Task<bool> IsReady(Uri host)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(host, "/health/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public string Logs() => Directory.Exists(LogFolder)
        ? string.Concat(Directory.GetFiles(LogFolder).Select(f => $"\n--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(25))}"))
        : "";

    private async Task WaitReady(Uri host, TimeSpan within, string name) =>
        await Eventually.Succeeds(() => IsReady(host), within, $"{name} ready{Logs()}");

    private async Task<string> Run(string verb, TimeSpan timeout)
    {
        var (exitCode, output) = await Execute("bash", $"deploy/netns-cluster.sh {verb}", timeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"netns-cluster.sh {verb} failed ({exitCode}): {output}\n{Hint}{Logs()}");
        return output;
    }

    private async Task<(int ExitCode, string Output)> Execute(string file, string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = Root };
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        var (exitCode, output, error) = await ChildProcess.Run(start, timeout);
        return (exitCode, output + error);
    }

    private static string BuildConfiguration() =>
        typeof(NetnsCluster).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sessions.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Sessions.sln not found above the test binaries.");
    }
}
