using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// The single-process service on Kestrel with a gateway to an <see cref="EchoUpstream"/>, one to a closed port and
/// one to an upstream that never answers; every grain call counted.
/// </summary>
public sealed class GatewayApp : IAsyncLifetime
{
    public EchoUpstream Upstream { get; private set; } = null!;

    public SilentUpstream Silent { get; } = new();

    public GrainCallCounter Calls { get; } = new();

    public SessionsApp App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await EchoUpstream.StartAsync();
        var settings = Settings(Upstream.Address, FreePorts.Next());
        settings["Sessions:Gateway:Routes:slow:ClusterId"] = "slow";
        settings["Sessions:Gateway:Routes:slow:AuthorizationPolicy"] = "session";
        settings["Sessions:Gateway:Routes:slow:Match:Path"] = "/slow/{**rest}";
        settings["Sessions:Gateway:Clusters:slow:Destinations:one:Address"] = Silent.Address.ToString();
        // Short, so the test waits seconds; the client's own timeout (30 s) is far beyond it.
        settings["Sessions:Gateway:Clusters:slow:HttpRequest:ActivityTimeout"] = "00:00:02";
        App = new KestrelSessionsApp(settings, Calls);
        Address = ((KestrelSessionsApp)App).Start();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        await Silent.DisposeAsync();
    }

    public HttpClient Client() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The gateway section, in YARP's schema, exactly as an operator writes it.</summary>
    public static Dictionary<string, string?> Settings(Uri upstream, int closedPort) => new()
    {
        ["Sessions:Gateway:Routes:orders:ClusterId"] = "echo",
        ["Sessions:Gateway:Routes:orders:AuthorizationPolicy"] = "session",
        ["Sessions:Gateway:Routes:orders:Match:Path"] = "/api/{**rest}",
        ["Sessions:Gateway:Routes:reports:ClusterId"] = "echo",
        ["Sessions:Gateway:Routes:reports:AuthorizationPolicy"] = "admin",
        ["Sessions:Gateway:Routes:reports:Match:Path"] = "/reports/{**rest}",
        ["Sessions:Gateway:Routes:public:ClusterId"] = "echo",
        ["Sessions:Gateway:Routes:public:AuthorizationPolicy"] = "anonymous",
        ["Sessions:Gateway:Routes:public:Match:Path"] = "/public/{**rest}",
        ["Sessions:Gateway:Routes:down:ClusterId"] = "down",
        ["Sessions:Gateway:Routes:down:AuthorizationPolicy"] = "session",
        ["Sessions:Gateway:Routes:down:Match:Path"] = "/down/{**rest}",
        ["Sessions:Gateway:Clusters:echo:Destinations:one:Address"] = upstream.ToString(),
        ["Sessions:Gateway:Clusters:down:Destinations:one:Address"] = $"http://127.0.0.1:{closedPort}/",
    };

    private sealed class KestrelSessionsApp(Dictionary<string, string?> settings, GrainCallCounter calls) : SessionsApp(null, settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IIncomingGrainCallFilter>(calls));
        }

        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}
