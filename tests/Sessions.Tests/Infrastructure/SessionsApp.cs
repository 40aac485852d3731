using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Sessions.Grains;

namespace Sessions.Tests.Infrastructure;

/// <summary>
/// The real single-process service (co-hosted silo, SQLite storage, HTTP API) on its own data folder and ports,
/// with the session clock under the test's control.
/// </summary>
public class SessionsApp : WebApplicationFactory<Silo.Program>
{
    // The test client's own base address, so outside OAuth client libraries can check discovery against it.
    public const string Issuer = "http://localhost";
    public const string AdminUsername = "root-admin";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly Dictionary<string, string?> _settings;

    public SessionsApp() : this(null, null)
    {
    }

    internal SessionsApp(string? dataDirectory, IReadOnlyDictionary<string, string?>? overrides, FakeTimeProvider? time = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "sessions-tests", Guid.NewGuid().ToString("N"));
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        _settings = new Dictionary<string, string?>
        {
            ["Sessions:DataDirectory"] = DataDirectory,
            ["Sessions:Issuer"] = Issuer,
            ["Sessions:KeyRingLease"] = "00:00:02",
            ["Sessions:MaxSessionsPerUser"] = "5",
            ["Sessions:RateLimit:TokenRequestsPerMinute"] = "1000000",
            ["Sessions:BootstrapAdmin:Username"] = AdminUsername,
            ["Sessions:BootstrapAdmin:Password"] = AdminPassword,
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            // Off by default for its cost; on here so every test host also runs with it, as an operator might.
            ["Sessions:Dashboard:Enabled"] = "true",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public FakeTimeProvider Time { get; }

    public FaultyStorage? Storage { get; private set; }

    public string DataDirectory { get; }

    /// <summary>The co-hosted silo's Orleans gateway, for clients outside HTTP (the operator verbs).</summary>
    public int GatewayPort => int.Parse(_settings["Cluster:GatewayPort"]!);

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public SessionsClient NewClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, Time);
            // The real SQLite storage, behind a switch that lets a test take it down.
            var sqlite = services.Last(s => s.ServiceType == typeof(IGrainStorage) && Equals(s.ServiceKey, SessionsStorage.Name));
            services.AddKeyedSingleton<IGrainStorage>(SessionsStorage.Name, (provider, key) =>
                Storage ??= new FaultyStorage((IGrainStorage)sqlite.KeyedImplementationFactory!(provider, key)));
        });
    }
}
