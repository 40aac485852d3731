using System.Security.Claims;

namespace Sessions.Api.Auth;

/// <summary>
/// What an accepted request carries: the verified token's ids and the grain's answer about its session. It is also
/// what authorization sees: the principal's roles are the grain's, not the token's.
/// </summary>
public sealed record SessionAccess(string UserId, string SessionId, string Jti, string Username, string DeviceId, string[] Roles)
{
    public const string RoleClaimType = "role";
    public const string NameClaimType = "sub";

    private static readonly object Key = new();

    public static SessionAccess Of(HttpContext context) =>
        Find(context) ?? throw new InvalidOperationException("The request was not authenticated by Sessions.");

    /// <summary>The request's access, or null if it carried no live access token.</summary>
    public static SessionAccess? Find(HttpContext context) => context.Items[Key] as SessionAccess;

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The principal authorization policies evaluate.</summary>
    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, NameClaimType, RoleClaimType);
        identity.AddClaim(new Claim(NameClaimType, UserId));
        identity.AddClaim(new Claim("sid", SessionId));
        identity.AddClaim(new Claim("jti", Jti));
        identity.AddClaim(new Claim("preferred_username", Username));
        identity.AddClaim(new Claim("device_id", DeviceId));
        foreach (var role in Roles)
            identity.AddClaim(new Claim(RoleClaimType, role));
        return new ClaimsPrincipal(identity);
    }

    internal void AttachTo(HttpContext context) => context.Items[Key] = this;
}
