using Yarp.ReverseProxy.Configuration;

namespace Sessions.Api.Gateway;

/// <summary>
/// Holds every route YARP loads, the first load and each reload of <c>Sessions:Gateway</c>, to the start-up rules.
/// Throwing here makes YARP refuse the whole new configuration and keep serving the previous one.
/// </summary>
internal sealed partial class GatewayRouteFilter(GatewayRouteRules rules, ILogger<GatewayRouteFilter> logger) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var error = GatewayRouteRules.PolicyError(route.RouteId, route.AuthorizationPolicy) ?? rules.ShadowError(route.RouteId, route.Match.Path);
        if (error is null)
            return ValueTask.FromResult(route);
        LogRouteRefused(logger, route.RouteId, error);
        throw new InvalidOperationException(error);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Gateway route {RouteId} refused, the previous gateway configuration stays: {Reason}")]
    private static partial void LogRouteRefused(ILogger logger, string routeId, string reason);
}
