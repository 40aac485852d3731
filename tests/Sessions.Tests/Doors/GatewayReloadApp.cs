using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// The single-process service on Kestrel with a gateway to an <see cref="EchoUpstream"/> whose routes a test can
/// reload at run time (<see cref="Reload"/>); its log records collected.
/// </summary>
public sealed class GatewayReloadApp : IAsyncLifetime
{
    public const string StartRoute = "/start/{**rest}";

    private readonly ReloadableSettings _reloadable = new();
    private ReloadingSessionsApp _app = null!;

    public EchoUpstream Upstream { get; private set; } = null!;

    public SessionsApp App => _app;

    public Uri Address { get; private set; } = null!;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public async Task InitializeAsync()
    {
        Upstream = await EchoUpstream.StartAsync();
        // The start-up route is set like any other setting, so it stays whatever a reload says.
        var settings = new Dictionary<string, string?>
        {
            ["Sessions:Gateway:Routes:start:ClusterId"] = "echo",
            ["Sessions:Gateway:Routes:start:AuthorizationPolicy"] = "session",
            ["Sessions:Gateway:Routes:start:Match:Path"] = StartRoute,
            ["Sessions:Gateway:Clusters:echo:Destinations:one:Address"] = Upstream.Address.ToString(),
        };
        _app = new ReloadingSessionsApp(settings, _reloadable);
        Address = _app.Start();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    public HttpClient Client() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Replaces the reloadable routes with these (id, policy, path), all to the echo upstream.</summary>
    public void Reload(params (string Id, string? Policy, string Path)[] routes)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (id, policy, path) in routes)
        {
            settings[$"Sessions:Gateway:Routes:{id}:ClusterId"] = "echo";
            settings[$"Sessions:Gateway:Routes:{id}:AuthorizationPolicy"] = policy;
            settings[$"Sessions:Gateway:Routes:{id}:Match:Path"] = path;
        }
        _reloadable.Replace(settings);
    }

    private sealed class ReloadingSessionsApp(Dictionary<string, string?> settings, ReloadableSettings reloadable) : SessionsApp(null, settings)
    {
        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(configuration => configuration.Add(reloadable));
            builder.ConfigureLogging(logging => logging.AddFakeLogging());
        }
    }
}
