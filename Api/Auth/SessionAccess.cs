namespace Sessions.Api.Auth;

/// <summary>What an accepted request carries: the verified token's ids and the grain's answer about its session.</summary>
public sealed record SessionAccess(string UserId, string SessionId, string Jti, string Username, string DeviceId, string[] Roles)
{
    private static readonly object Key = new();

    public static SessionAccess Of(HttpContext context) =>
        Find(context) ?? throw new InvalidOperationException("The request was not authenticated by Sessions.");

    /// <summary>The request's access, or null if it carried no live access token.</summary>
    public static SessionAccess? Find(HttpContext context) => context.Items[Key] as SessionAccess;

    internal void AttachTo(HttpContext context) => context.Items[Key] = this;
}
