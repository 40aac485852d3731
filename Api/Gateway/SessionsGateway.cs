using Microsoft.AspNetCore.Routing.Patterns;
using Sessions.Api.Auth;
using Yarp.ReverseProxy.Transforms;

namespace Sessions.Api.Gateway;

/// <summary>
/// Sessions in front of upstreams, with YARP: routes and clusters from <c>Sessions:Gateway</c> in YARP's own schema,
/// each route's <c>AuthorizationPolicy</c> one of <c>session</c>, <c>admin</c> or <c>anonymous</c>. A protected
/// route runs the same decision as <c>GET /me</c> (the bearer scheme) before anything goes upstream.
/// </summary>
public static class SessionsGateway
{
    public const string SectionName = "Sessions:Gateway";
    public const string SessionPolicy = "session";
    private static readonly string[] Policies = [SessionPolicy, SessionsApiExtensions.AdminPolicy, "anonymous"];

    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(SectionName).GetSection("Routes").GetChildren().Any();

    internal static void AddSessionsGateway(this WebApplicationBuilder builder)
    {
        if (!IsConfigured(builder.Configuration))
            return;
        var section = builder.Configuration.GetSection(SectionName);
        CheckPolicies(section);
        builder.Services.AddReverseProxy().LoadFromConfig(section).AddTransforms(transforms => transforms.AddRequestTransform(SetIdentityHeaders));
    }

    /// <summary>Maps the gateway after every Sessions endpoint, refusing a route that would shadow one of them.</summary>
    internal static void MapSessionsGateway(this WebApplication app)
    {
        if (!IsConfigured(app.Configuration))
            return;
        var reserved = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => FirstSegment(endpoint.RoutePattern))
            .Where(segment => segment is not null)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var route in app.Configuration.GetSection(SectionName).GetSection("Routes").GetChildren())
        {
            var path = route["Match:Path"];
            var first = path is null ? null : FirstSegment(RoutePatternFactory.Parse(path));
            if (first is null || reserved.Contains(first))
                throw new InvalidOperationException(
                    $"{SectionName}:Routes:{route.Key} would shadow Sessions' own paths (Match:Path '{path ?? "(none)"}'); " +
                    $"give it a path whose first segment is a literal other than {string.Join(", ", reserved.Order().Select(s => "/" + s))}.");
        }
        app.MapReverseProxy();
    }

    private static void CheckPolicies(IConfigurationSection section)
    {
        foreach (var route in section.GetSection("Routes").GetChildren())
        {
            var policy = route["AuthorizationPolicy"];
            // No policy would leave the route open by accident; it must be said.
            if (policy is null || !Policies.Contains(policy, StringComparer.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"{SectionName}:Routes:{route.Key}:AuthorizationPolicy must be one of {string.Join(", ", Policies)} (it is '{policy ?? "(unset)"}').");
        }
    }

    // Client-sent X-Sessions-* never reach an upstream, on any route; on a protected one Sessions' own values do.
    private static ValueTask SetIdentityHeaders(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in headers.Select(h => h.Key).Where(IdentityHeaders.IsIdentityHeader).ToList())
            headers.Remove(name);
        if (SessionAccess.Find(context.HttpContext) is { } access)
        {
            foreach (var (name, value) in IdentityHeaders.Of(access))
                headers.TryAddWithoutValidation(name, value);
        }
        return ValueTask.CompletedTask;
    }

    // The first path segment if it is a literal, else null: a route that starts with a parameter shadows everything.
    private static string? FirstSegment(RoutePattern pattern) =>
        pattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? literal.Content : null;
}
