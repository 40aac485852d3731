using System.Diagnostics;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Pages;

namespace Sessions.Tests.Doors;

/// <summary>
/// Debian's Caddy on loopback running deploy/forward-auth/caddy/Caddyfile itself (its addresses from environment
/// variables), asking a real Sessions host on Kestrel before proxying to the Python upstream.
/// </summary>
public sealed class CaddyForwardAuth : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sessions-tests", "caddy-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _caddy;
    private PythonEchoUpstream? _upstream;

    public LiveSessionsApp App { get; } = new();

    public Uri Proxy { get; private set; } = null!;

    public HttpClient ProxyClient() => new() { BaseAddress = Proxy, Timeout = TimeSpan.FromSeconds(30) };

    public Task<int> Served() => _upstream!.Served();

    public async Task InitializeAsync()
    {
        var sessions = App.Start();
        Directory.CreateDirectory(_directory);
        _upstream = await PythonEchoUpstream.StartAsync();
        Proxy = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var start = new ProcessStartInfo(File.Exists("/usr/bin/caddy") ? "/usr/bin/caddy" : "caddy")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--adapter", "caddyfile", "--config", Path.Combine(NginxForwardAuth.RepositoryRoot(), "deploy", "forward-auth", "caddy", "Caddyfile") })
            start.ArgumentList.Add(argument);
        start.Environment["CADDY_ADMIN"] = "off";
        start.Environment["SESSIONS_SITE"] = Proxy.ToString().TrimEnd('/');
        start.Environment["SESSIONS_AUTH"] = $"127.0.0.1:{sessions.Port}";
        start.Environment["ORDERS_UPSTREAM"] = $"127.0.0.1:{_upstream.Address.Port}";
        // Whatever Caddy keeps (autosaved config, certificates) stays in this temp folder.
        start.Environment["HOME"] = _directory;
        start.Environment["XDG_DATA_HOME"] = _directory;
        start.Environment["XDG_CONFIG_HOME"] = _directory;
        _caddy = Process.Start(start) ?? throw new InvalidOperationException("Could not start caddy.");
        var log = _caddy.StandardError.ReadToEndAsync();
        _ = _caddy.StandardOutput.ReadToEndAsync();
        using var probe = ProxyClient();
        await Eventually.Succeeds(async () =>
        {
            if (_caddy.HasExited)
                throw new InvalidOperationException($"caddy exited: {await log}");
            using var response = await probe.GetAsync("/api/");
            return true;
        }, TimeSpan.FromSeconds(20), "caddy listens");
    }

    public async Task DisposeAsync()
    {
        if (_caddy is not null)
        {
            if (!_caddy.HasExited)
                _caddy.Kill(entireProcessTree: true);
            await _caddy.WaitForExitAsync();
            _caddy.Dispose();
        }
        if (_upstream is not null)
            await _upstream.DisposeAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
