namespace Sessions.Bench;

/// <summary>
/// Which rows run in rounds beside the single-process silo, and their baselines: A for Sessions' <c>/me</c> and
/// <c>/auth/check</c> and for B and C; nginx → A for nginx <c>auth_request</c> → Sessions → upstream; the upstream straight for the gateway.
/// </summary>
internal sealed class RoundsPlan(ConfigResult sessions, ConfigResult baselineA)
{
    public ConfigResult Sessions { get; } = sessions;

    public ConfigResult BaselineA { get; } = baselineA;

    public ConfigResult? Check { get; init; }

    /// <summary>
    /// <c>GET /me</c> on a second silo, started on a copy of the measured silo's data (the same users, keys and tokens)
    /// with <c>Sessions:Telemetry:Metrics</c> and <c>:Traces</c> off; compared with the measured silo's own row, round
    /// by round, it sizes what metrics cost per request.
    /// </summary>
    public ConfigResult? TelemetryOff { get; init; }

    public ConfigResult? BaselineB { get; init; }

    public ConfigResult? BaselineC { get; init; }

    public ConfigResult? NginxStateless { get; init; }

    public ConfigResult? NginxForwardAuth { get; init; }

    public ConfigResult? Upstream { get; init; }

    public ConfigResult? Gateway { get; init; }

    /// <summary>
    /// The same silo's gateway on a second route, <c>/open/{**rest}</c> with policy <c>anonymous</c>, to the same
    /// cluster: YARP's hop with Sessions' transforms and no session check, so gateway minus this row is what the check
    /// adds inside the gateway. Runs whenever <see cref="Gateway"/> does.
    /// </summary>
    public ConfigResult? GatewayOpen { get; init; }

    /// <summary>Chosen before the silo starts, since its gateway route must name it.</summary>
    public int UpstreamPort { get; } = FreePorts.One();

    public bool NeedsUpstream => NginxForwardAuth is not null || Gateway is not null;

    public IEnumerable<ConfigResult> All => new[] { BaselineA, Sessions, TelemetryOff, Check, BaselineB, BaselineC, NginxStateless, NginxForwardAuth, Upstream, Gateway, GatewayOpen }.OfType<ConfigResult>();

    /// <summary>
    /// The gateway's routes on the measured silo (YARP's schema): /api/{**rest} to the upstream for any live session,
    /// and /open/{**rest} to the same cluster with no check.
    /// </summary>
    public void AddGateway(Dictionary<string, string> environment)
    {
        if (Gateway is null)
            return;
        environment["Sessions__Gateway__Routes__bench__ClusterId"] = "upstream";
        environment["Sessions__Gateway__Routes__bench__AuthorizationPolicy"] = "session";
        environment["Sessions__Gateway__Routes__bench__Match__Path"] = "/api/{**rest}";
        environment["Sessions__Gateway__Routes__open__ClusterId"] = "upstream";
        environment["Sessions__Gateway__Routes__open__AuthorizationPolicy"] = "anonymous";
        environment["Sessions__Gateway__Routes__open__Match__Path"] = "/open/{**rest}";
        environment["Sessions__Gateway__Clusters__upstream__Destinations__one__Address"] = $"http://127.0.0.1:{UpstreamPort}/";
    }
}
