namespace Sessions.Bench;

/// <summary>
/// Debian's nginx (<c>/usr/sbin/nginx</c>) with a bench-generated config on free loopback ports, in the foreground,
/// one process (no master, so its pid is all its CPU), every path it writes in its own folder. Two servers: one
/// protected by <c>auth_request</c> with deploy/forward-auth/nginx's own include files, one passing straight to the
/// stateless upstream. Both keep connections to their upstreams alive, so the two differ only in the auth.
/// </summary>
internal sealed class ThrowawayNginx : IAsyncDisposable
{
    private static readonly string[] Snippets = ["sessions-check.conf", "sessions-check-request.conf", "sessions-identity.conf"];
    private readonly ChildProcess _process;

    private ThrowawayNginx(ChildProcess process, int forwardAuthPort, int statelessPort)
    {
        _process = process;
        ForwardAuthPort = forwardAuthPort;
        StatelessPort = statelessPort;
    }

    public const string Binary = "/usr/sbin/nginx";

    /// <summary>
    /// Idle connections nginx keeps per upstream: more than the bench's 32 connections in flight. With fewer (16, as
    /// before), nginx's one worker finishes a batch of responses, finds its cache full, closes the surplus and opens
    /// new ones for the next batch: about one TCP connection per request to A and to /auth/check (thousands of
    /// TIME-WAIT sockets per 5 s round), which both nginx rows paid instead of the auth.
    /// </summary>
    private const int Keepalive = 64;

    public int Pid => _process.Pid;

    /// <summary>nginx → auth_request GET /auth/check on Sessions → the trusted upstream.</summary>
    public int ForwardAuthPort { get; }

    /// <summary>nginx → baseline A, which validates the token itself.</summary>
    public int StatelessPort { get; }

    public static async Task<ThrowawayNginx> StartAsync(RepoPaths paths, string folder, int sessionsPort, int upstreamPort, int statelessPort,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: apt-get install -y nginx");
        foreach (var snippet in Snippets)
            File.Copy(Path.Combine(paths.Root, "deploy", "forward-auth", "nginx", snippet), Path.Combine(folder, snippet), overwrite: true);
        var forwardAuth = FreePorts.One();
        var stateless = FreePorts.One();
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(folder, sessionsPort, upstreamPort, statelessPort, forwardAuth, stateless), cancellationToken);
        var process = ChildProcess.Start("nginx", Binary, ["-p", folder + "/", "-c", config, "-e", Path.Combine(folder, "error.log")],
            new Dictionary<string, string>(), folder, Path.Combine(folder, "nginx.log"));
        return new ThrowawayNginx(process, forwardAuth, stateless);
    }

    // master_process off: one process as whoever runs the bench, so no worker drops to `nobody` and needs rights on the folder.
    private static string Config(string folder, int sessionsPort, int upstreamPort, int statelessPort, int forwardAuthListen, int statelessListen) => $$"""
        daemon off;
        master_process off;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path {{folder}}/client_body;
          proxy_temp_path {{folder}}/proxy;
          fastcgi_temp_path {{folder}}/fastcgi;
          uwsgi_temp_path {{folder}}/uwsgi;
          scgi_temp_path {{folder}}/scgi;
          upstream sessions_auth { server 127.0.0.1:{{sessionsPort}}; keepalive {{Keepalive}}; }
          upstream orders { server 127.0.0.1:{{upstreamPort}}; keepalive {{Keepalive}}; }
          upstream stateless { server 127.0.0.1:{{statelessPort}}; keepalive {{Keepalive}}; }
          server {
            listen 127.0.0.1:{{forwardAuthListen}};
            include sessions-check.conf;
            location / {
              auth_request /_sessions_check;
              include sessions-identity.conf;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_pass http://orders;
            }
          }
          server {
            listen 127.0.0.1:{{statelessListen}};
            location / {
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_pass http://stateless;
            }
          }
        }
        """;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
