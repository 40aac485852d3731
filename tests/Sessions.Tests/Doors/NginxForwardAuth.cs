using System.Diagnostics;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Pages;

namespace Sessions.Tests.Doors;

/// <summary>
/// Debian's nginx on loopback with deploy/forward-auth/nginx's own include files, asking a real Sessions host on
/// Kestrel (auth_request) before proxying to an upstream written in Python that echoes the headers it receives.
/// </summary>
public sealed class NginxForwardAuth : IAsyncLifetime
{
    private static readonly string[] Snippets = ["sessions-check.conf", "sessions-check-request.conf", "sessions-identity.conf"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sessions-tests", "nginx-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _nginx;
    private PythonEchoUpstream? _upstream;

    public LiveSessionsApp App { get; } = new();

    public Uri Proxy { get; private set; } = null!;


    public SessionsClient Sessions() => App.NewClient();

    /// <summary>A client of the proxy, which is where an API's callers go.</summary>
    public HttpClient ProxyClient() => new() { BaseAddress = Proxy, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>How many requests reached the upstream, asked of it directly.</summary>
    public Task<int> Served() => _upstream!.Served();

    public async Task InitializeAsync()
    {
        var sessions = App.Start();
        Directory.CreateDirectory(_directory);
        _upstream = await PythonEchoUpstream.StartAsync();
        var upstreamPort = _upstream.Address.Port;
        var proxyPort = FreePorts.Next();
        Proxy = new Uri($"http://127.0.0.1:{proxyPort}");
        foreach (var snippet in Snippets)
            File.Copy(Path.Combine(RepositoryRoot(), "deploy", "forward-auth", "nginx", snippet), Path.Combine(_directory, snippet));
        await File.WriteAllTextAsync(Path.Combine(_directory, "nginx.conf"), Config(sessions.Port, upstreamPort, proxyPort));

        var start = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-p", _directory + "/", "-c", Path.Combine(_directory, "nginx.conf"), "-e", Path.Combine(_directory, "error.log") })
            start.ArgumentList.Add(argument);
        _nginx = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        using var probe = ProxyClient();
        await Eventually.Succeeds(async () =>
        {
            if (_nginx.HasExited)
                throw new InvalidOperationException($"nginx exited: {await File.ReadAllTextAsync(Path.Combine(_directory, "error.log"))}");
            using var response = await probe.GetAsync("/");
            return true;
        }, TimeSpan.FromSeconds(20), "nginx listens");
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
        {
            if (!_nginx.HasExited)
                _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
            _nginx.Dispose();
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

    // master_process off: one process as whoever runs the test (root in CI), so no worker drops to `nobody`
    // and needs rights on this temp folder; everything nginx writes stays in it.
    private string Config(int sessionsPort, int upstreamPort, int proxyPort) => $$"""
        daemon off;
        master_process off;
        pid {{_directory}}/nginx.pid;
        error_log {{_directory}}/error.log warn;
        events { worker_connections 128; }
        http {
          access_log off;
          client_body_temp_path {{_directory}}/client_body;
          proxy_temp_path {{_directory}}/proxy;
          fastcgi_temp_path {{_directory}}/fastcgi;
          uwsgi_temp_path {{_directory}}/uwsgi;
          scgi_temp_path {{_directory}}/scgi;
          upstream sessions_auth { server 127.0.0.1:{{sessionsPort}}; keepalive 4; }
          upstream orders { server 127.0.0.1:{{upstreamPort}}; }
          server {
            listen 127.0.0.1:{{proxyPort}};
            include sessions-check.conf;
            location / {
              auth_request /_sessions_check;
              include sessions-identity.conf;
              proxy_pass http://orders;
            }
            location /admin/ {
              auth_request /_sessions_check_admin;
              include sessions-identity.conf;
              proxy_pass http://orders;
            }
          }
        }
        """;

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sessions.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Sessions.sln not found above the test assembly.");
    }
}
