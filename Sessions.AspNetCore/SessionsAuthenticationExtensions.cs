using Microsoft.AspNetCore.Builder;
using Sessions.Api.Auth;
using Sessions.Api.Cluster;

namespace Sessions.AspNetCore;

/// <summary>Makes an ASP.NET Core API a client of a Sessions cluster that decides every request the way Sessions does.</summary>
public static class SessionsAuthenticationExtensions
{
    /// <summary>
    /// Joins the cluster as an Orleans client (the <c>Cluster</c> section, as for a Sessions API host) and adds the
    /// bearer scheme: JwtBearer pinned to ES256, <c>at+jwt</c>, the <c>Sessions:Issuer</c> and
    /// <c>Sessions:Audience</c>; keys only from the key ring; then the user's grain on every request that needs
    /// authorization, sliding the session. Policies <c>session</c> and <c>admin</c> are defined;
    /// <see cref="SessionAccess.Of"/> gives handlers the caller. Nothing else of authorization is set: ASP.NET Core's
    /// <c>DefaultPolicy</c> (an authenticated user) stays, and no <c>FallbackPolicy</c> is set, so an endpoint that
    /// names no policy is open unless the app sets one; a <c>FallbackPolicy</c> the app sets applies to those
    /// endpoints with the same per-request decision.
    /// </summary>
    public static WebApplicationBuilder AddSessionsAuthentication(this WebApplicationBuilder builder)
    {
        builder.AddSessionsClusterClient();
        builder.Services.AddSessionsBearer();
        return builder;
    }
}
