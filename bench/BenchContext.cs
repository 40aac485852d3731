namespace Sessions.Bench;

/// <summary>What every configuration's run shares: settings, paths, a work folder, the bench's own client.</summary>
internal sealed class BenchContext(BenchSettings settings, RepoPaths paths, string workRoot, ProbeClient client, CancellationToken cancellationToken)
{
    public const string AdminUsername = "benchadmin";

    public BenchSettings Settings { get; } = settings;

    public RepoPaths Paths { get; } = paths;

    public ProbeClient Client { get; } = client;

    public SessionsClient Sessions { get; } = new(client.Http);

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>A fresh random password per run for the bootstrap admin; never printed.</summary>
    public string AdminPassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public string NewFolder(string name)
    {
        var folder = Path.Combine(workRoot, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Settings every Sessions process gets: tokens that outlive the run, no rate limit on the bench's logins, the same log level as the baselines.</summary>
    public Dictionary<string, string> SessionsEnvironment() => new()
    {
        ["Sessions__AccessTokenLifetime"] = "1.00:00:00",
        ["Sessions__RateLimit__TokenRequestsPerMinute"] = "1000000",
        ["Sessions__BootstrapAdmin__Username"] = AdminUsername,
        ["Sessions__BootstrapAdmin__Password"] = AdminPassword,
        ["Logging__LogLevel__Default"] = "Warning",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public Task<WrkResult> WrkAsync(string folder, string tokensFile, IReadOnlyList<int> ports, TimeSpan duration, string path = "/me",
        string? cpus = null) =>
        Wrk.RunAsync(Paths, folder, tokensFile, ports, Settings.Connections, duration, CancellationToken, path, cpus);
}
