using Sessions.Api.Auth;
using Sessions.Api.Observability;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Sessions.Api.Gateway;

/// <summary>
/// Sessions in front of upstreams, with YARP: routes and clusters from <c>Sessions:Gateway</c> in YARP's own schema,
/// each route's <c>AuthorizationPolicy</c> one of <c>session</c>, <c>admin</c> or <c>anonymous</c>. A protected
/// route runs the same decision as <c>GET /me</c> (the bearer scheme) before anything goes upstream. A reload of
/// the section is held to the start-up rules (<see cref="GatewayRouteFilter"/>): a bad one is refused, not served.
/// </summary>
public static class SessionsGateway
{
    public const string SectionName = "Sessions:Gateway";
    public const string SessionPolicy = "session";

    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(SectionName).GetSection("Routes").GetChildren().Any();

    internal static void AddSessionsGateway(this WebApplicationBuilder builder)
    {
        if (!IsConfigured(builder.Configuration))
            return;
        var section = builder.Configuration.GetSection(SectionName);
        CheckPolicies(section);
        builder.Services.AddSingleton<GatewayRouteRules>();
        // The transform is added to every route YARP builds, so reloaded routes strip and set identity headers too.
        builder.Services.AddReverseProxy().LoadFromConfig(section).AddConfigFilter<GatewayRouteFilter>()
            .AddTransforms(transforms => transforms.AddRequestTransform(SetIdentityHeaders));
        // YARP's handler gives each forwarded request a trace context of its own (an HttpClient activity and its
        // headers). With Sessions' traces off there is no trace to continue, so that layer only costs CPU: the
        // client's own trace headers, if any, go upstream as they came, like any other header.
        if (!TelemetryOptions.Read(builder.Configuration).Traces)
            builder.Services.AddSingleton<IForwarderHttpClientFactory, UntracedForwarderHttpClientFactory>();
    }

    /// <summary>Maps the gateway after every Sessions endpoint, refusing a route that would shadow one of them.</summary>
    internal static void MapSessionsGateway(this WebApplication app)
    {
        if (!IsConfigured(app.Configuration))
            return;
        var reserved = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => GatewayRouteRules.FirstSegment(endpoint.RoutePattern))
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rules = app.Services.GetRequiredService<GatewayRouteRules>();
        rules.Reserve(reserved);
        foreach (var route in app.Configuration.GetSection(SectionName).GetSection("Routes").GetChildren())
        {
            if (rules.ShadowError(route.Key, route["Match:Path"]) is { } error)
                throw new InvalidOperationException(error);
        }
        app.MapReverseProxy();
    }

    private static void CheckPolicies(IConfigurationSection section)
    {
        foreach (var route in section.GetSection("Routes").GetChildren())
        {
            if (GatewayRouteRules.PolicyError(route.Key, route["AuthorizationPolicy"]) is { } error)
                throw new InvalidOperationException(error);
        }
    }

    // Client-sent X-Sessions-* never reach an upstream, on any route; on a protected one Sessions' own values do.
    private static ValueTask SetIdentityHeaders(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        // NonValidated: the names as they are, without parsing and copying every value of every header per request.
        List<string>? sent = null;
        foreach (var header in headers.NonValidated)
        {
            if (IdentityHeaders.IsIdentityHeader(header.Key))
                (sent ??= []).Add(header.Key);
        }
        if (sent is not null)
        {
            foreach (var name in sent)
                headers.Remove(name);
        }
        if (SessionAccess.Find(context.HttpContext) is { } access)
            IdentityHeaders.Write(access, headers, static (proxied, name, value) => proxied.TryAddWithoutValidation(name, value));
        return ValueTask.CompletedTask;
    }

    private sealed class UntracedForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ActivityHeadersPropagator = null;
        }
    }
}
