namespace Sessions.Api.Auth;

/// <summary>
/// The one answer every door (the bearer scheme, introspection, forward auth, the gateway) gets about an access
/// token: accepted with the caller's access, rejected with a fixed reason, or unanswerable because the cluster is down.
/// </summary>
internal sealed record AccessDecision(AccessVerdict Verdict, SessionAccess? Access, AccessTokenClaims? Claims, string? Rejection)
{
    public static AccessDecision Accept(SessionAccess access, AccessTokenClaims claims) => new(AccessVerdict.Accepted, access, claims, null);

    public static AccessDecision Reject(string reason) => new(AccessVerdict.Rejected, null, null, reason);

    public static readonly AccessDecision Unavailable = new(AccessVerdict.Unavailable, null, null, null);
}
