using Microsoft.AspNetCore.Routing.Patterns;

namespace Sessions.Api.Gateway;

/// <summary>
/// What a gateway route must satisfy, at start-up and on every configuration reload alike: a policy that says who
/// may pass, and a path that leaves Sessions' own endpoints alone.
/// </summary>
internal sealed class GatewayRouteRules
{
    private static readonly string[] Policies = [SessionsGateway.SessionPolicy, SessionsApiExtensions.AdminPolicy, "anonymous"];
    private volatile HashSet<string>? _reserved;

    /// <summary>The first path segments of Sessions' own endpoints, known once they are all mapped.</summary>
    public void Reserve(IEnumerable<string> firstSegments) => _reserved = firstSegments.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string? PolicyError(string routeId, string? policy) =>
        // No policy would leave the route open by accident; it must be said.
        policy is not null && Policies.Contains(policy, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"{SessionsGateway.SectionName}:Routes:{routeId}:AuthorizationPolicy must be one of {string.Join(", ", Policies)} (it is '{policy ?? "(unset)"}').";

    public string? ShadowError(string routeId, string? path)
    {
        // Until Sessions' endpoints are mapped nothing can be checked, so nothing may pass.
        var reserved = _reserved ?? [];
        string? first;
        try
        {
            first = path is null ? null : FirstSegment(RoutePatternFactory.Parse(path));
        }
        catch (RoutePatternException)
        {
            first = null;
        }
        return first is not null && _reserved is not null && !reserved.Contains(first)
            ? null
            : $"{SessionsGateway.SectionName}:Routes:{routeId} would shadow Sessions' own paths (Match:Path '{path ?? "(none)"}'); " +
              $"give it a path whose first segment is a literal other than {string.Join(", ", reserved.Order().Select(s => "/" + s))}.";
    }

    // The first path segment if it is a literal, else null: a route that starts with a parameter shadows everything.
    public static string? FirstSegment(RoutePattern pattern) =>
        pattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? literal.Content : null;
}
