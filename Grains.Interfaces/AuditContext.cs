namespace Sessions.Grains;

/// <summary>
/// Who made a request and from where, carried with every grain call it causes in Orleans' <see cref="RequestContext"/>,
/// so the grains' audit events can name the client address and the acting user without widening every grain method.
/// </summary>
public static class AuditContext
{
    private const string ClientIpKey = "sessions.client-ip";
    private const string ActorKey = "sessions.actor";

    /// <summary>The client address as the API host saw it (after ASP.NET Core's forwarded-headers handling, if enabled).</summary>
    public static string? ClientIp => RequestContext.Get(ClientIpKey) as string;

    /// <summary>The user id of the authenticated caller, if the request carried a live access token.</summary>
    public static string? Actor => RequestContext.Get(ActorKey) as string;

    public static void Set(string? clientIp, string? actor)
    {
        if (clientIp is not null)
            RequestContext.Set(ClientIpKey, clientIp);
        if (actor is not null)
            RequestContext.Set(ActorKey, actor);
    }
}
