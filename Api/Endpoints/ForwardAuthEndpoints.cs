using Microsoft.Extensions.Primitives;
using Sessions.Api.Auth;
using Sessions.Api.Http;
using Sessions.Api.OpenApi;

namespace Sessions.Api.Endpoints;

/// <summary>
/// Forward auth for reverse proxies (nginx <c>auth_request</c>, Traefik <c>ForwardAuth</c>, Envoy <c>ext_authz</c>,
/// Caddy <c>forward_auth</c>): the same decision as <c>GET /me</c>, answered with headers for the proxy to copy
/// upstream. Never cached, by anyone: the next request after a revocation is refused.
/// </summary>
public static class ForwardAuthEndpoints
{
    public const string Path = "/auth/check";
    private const int MaxRoles = 16;
    private const int MaxRoleLength = 64;

    public static IEndpointRouteBuilder MapForwardAuthEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var (pattern, name) in new[] { (Path, "ForwardAuth"), (Path + "/{**path}", "ForwardAuthWithPath") })
        {
            // GET is what the document shows; a proxy may ask with the original request's method (Envoy also
            // appends the original path), which the any-method twin, one step lower in precedence, answers the same.
            app.MapGet(pattern, Check).WithName(name).WithTags("Forward auth")
                .WithSummary("Forward auth for reverse proxies: the per-request decision, as headers to copy upstream")
                .WithDescription("Any method; the body is ignored. Repeatable ?role=NAME: every named role is required. 200 (empty, " +
                    "Cache-Control: no-store) with X-Sessions-User-Id, X-Sessions-Username, X-Sessions-Session-Id, X-Sessions-Device-Id and " +
                    "X-Sessions-Roles (comma-separated); 401 with an RFC 6750 challenge; 403 when a role is missing; 503 + Retry-After when the " +
                    "cluster cannot answer.")
                .Produces(StatusCodes.Status200OK)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
                .AddOpenApiOperationTransformer((operation, context, _) =>
                {
                    BearerSecurityTransformer.Require(operation, context.Document);
                    return Task.CompletedTask;
                });
            app.Map(pattern, Check).WithOrder(1).ExcludeFromDescription();
        }
        return app;
    }

    private static async Task Check(HttpContext context, AccessTokenValidator validator)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        // Hostile or oversized role lists are refused before any grain call.
        if (ReadRoles(context.Request.Query["role"]) is not { } required)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad Request",
                $"role must be 1-{MaxRoleLength} characters of letters, digits and ._-:, at most {MaxRoles} of them.");
            return;
        }
        // Read in place, as the bearer scheme does: a token the cache remembers is never copied out of the header.
        if (!AccessTokenValidator.TryReadBearer(context.Request, out var token))
        {
            await BearerChallenge.WriteMissing(context);
            return;
        }
        var decision = await validator.ValidateAsync(token, AccessCheckMode.Request, context.RequestAborted);
        if (decision.Verdict != AccessVerdict.Accepted)
        {
            await BearerChallenge.Write(context, decision);
            return;
        }
        var access = decision.Access!;
        foreach (var role in required)
        {
            if (!access.HasRole(role))
            {
                await Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden", $"This request needs the {role} role.");
                return;
            }
        }
        IdentityHeaders.Write(access, response.Headers, static (headers, name, value) => headers[name] = value);
        response.StatusCode = StatusCodes.Status200OK;
    }

    private static string[]? ReadRoles(StringValues roles)
    {
        if (roles.Count > MaxRoles)
            return null;
        foreach (var role in roles)
        {
            if (role is not { Length: >= 1 and <= MaxRoleLength } || !role.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
                return null;
        }
        return roles.ToArray()!;
    }
}
