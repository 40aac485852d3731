using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>The single-process service on Kestrel with a gateway to an <see cref="EchoUpstream"/>, and one to a closed port.</summary>
public sealed class GatewayApp : IAsyncLifetime
{
    public EchoUpstream Upstream { get; private set; } = null!;

    public SessionsApp App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await EchoUpstream.StartAsync();
        App = new KestrelSessionsApp(Settings(Upstream.Address, FreePorts.Next()));
        Address = ((KestrelSessionsApp)App).Start();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
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

    private sealed class KestrelSessionsApp(Dictionary<string, string?> settings) : SessionsApp(null, settings)
    {
        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}
