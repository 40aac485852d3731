using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// The one place a user grain's outcomes become metrics and audit events, called once the change they describe is
/// stored. The client address and acting user come from <see cref="AuditContext"/>, except a login's, which its request names.
/// </summary>
internal sealed class UserEvents(GrainMetrics metrics, AuditLog audit)
{
    public void AccountCreated(string userId) => audit.AccountCreated(userId, AuditContext.ClientIp);

    public void LoginFailed(string? userId, string reason, string? clientIp)
    {
        metrics.LoginFailed(reason);
        audit.LoginFailed(userId, reason, clientIp);
    }

    public void LockedOut(string userId, DateTimeOffset until, string? clientIp)
    {
        metrics.LockedOut();
        audit.LockedOut(userId, until, clientIp);
    }

    /// <summary>A login's new session, and the sessions its one pass ended: expired ones are only counted, replaced and evicted ones audited too.</summary>
    public void LoggedIn(string userId, SessionState session, List<EndedSession> ended, string? clientIp)
    {
        foreach (var (endedSession, reason) in ended)
        {
            metrics.SessionEnded(reason);
            if (reason is not (SessionEndReason.IdleExpired or SessionEndReason.AbsoluteExpired))
                audit.SessionEndedByService(userId, endedSession.SessionId, endedSession.DeviceId, reason.AuditReason(), clientIp);
        }
        metrics.LoginSucceeded();
        audit.LoginSucceeded(userId, session.SessionId, session.DeviceId, clientIp);
    }

    /// <summary>A session found run out and dropped: the grain noticed its end, which is counted then and only then.</summary>
    public void Expired(SessionEndReason reason) => metrics.SessionEnded(reason);

    /// <summary>A refresh grant's result; theft also ends <paramref name="session"/>, counted and audited as stolen.</summary>
    public void Refreshed(RefreshOutcome outcome, string userId, SessionState? session)
    {
        switch (outcome)
        {
            case RefreshOutcome.Rotated:
                metrics.Refreshed(RefreshResults.Rotated);
                break;
            case RefreshOutcome.Replayed:
                metrics.Refreshed(RefreshResults.Replayed);
                break;
            case RefreshOutcome.Theft when session is not null:
                metrics.RefreshReused();
                metrics.SessionEnded(SessionEndReason.Theft);
                audit.RefreshTokenReused(userId, session.SessionId, session.DeviceId, AuditContext.ClientIp);
                break;
            default:
                metrics.Refreshed(RefreshResults.Rejected);
                break;
        }
    }

    /// <summary>One session ended on request: by its user (a logout) or by an admin.</summary>
    public void SessionEnded(string userId, EndedSession ended)
    {
        var (session, reason) = ended;
        metrics.SessionEnded(reason);
        if (reason == SessionEndReason.Logout)
            audit.SessionEndedByUser(userId, session.SessionId, session.DeviceId, AuditContext.ClientIp);
        else
            audit.SessionRevoked(userId, session.SessionId, session.DeviceId, AuditContext.Actor, AuditContext.ClientIp);
    }

    public void DeviceRevoked(string userId, string deviceId, List<EndedSession> ended)
    {
        Count(ended);
        audit.DeviceRevoked(userId, deviceId, AuditContext.Actor, AuditContext.ClientIp);
    }

    /// <summary>A logout of <paramref name="scope"/> from <paramref name="sessionId"/>: the one place a scope picks its audit event.</summary>
    public void LoggedOut(string userId, string sessionId, string? deviceId, LogoutScope scope, List<EndedSession> ended)
    {
        Count(ended);
        var clientIp = AuditContext.ClientIp;
        switch (scope)
        {
            case LogoutScope.Local:
                audit.LoggedOut(userId, sessionId, deviceId, clientIp);
                break;
            case LogoutScope.Others:
                audit.LoggedOutOthers(userId, sessionId, deviceId, ended.Count, clientIp);
                break;
            default:
                audit.LoggedOutGlobally(userId, sessionId, deviceId, ended.Count, clientIp);
                break;
        }
    }

    public void UserRevoked(string userId, List<EndedSession> ended)
    {
        Count(ended);
        audit.UserRevoked(userId, AuditContext.Actor, AuditContext.ClientIp);
    }

    public void RefreshTokenRevoked(string userId, List<EndedSession> ended)
    {
        Count(ended);
        foreach (var (session, _) in ended)
            audit.RefreshTokenRevoked(userId, session.SessionId, session.DeviceId, AuditContext.ClientIp);
    }

    public void AccessTokenRevoked(string userId, string sessionId, string? deviceId, string jti) =>
        audit.AccessTokenRevoked(userId, sessionId, deviceId, jti, AuditContext.ClientIp);

    public void PasswordChanged(string userId, string sessionId, string? deviceId, List<EndedSession> ended)
    {
        Count(ended);
        audit.PasswordChanged(userId, sessionId, deviceId, ended.Count, AuditContext.ClientIp);
    }

    public void DisabledSet(string userId, bool disabled, List<EndedSession> ended)
    {
        Count(ended);
        if (disabled)
            audit.AccountDisabled(userId, AuditContext.Actor, AuditContext.ClientIp);
        else
            audit.AccountEnabled(userId, AuditContext.Actor, AuditContext.ClientIp);
    }

    // A session that had already run out was ended by its expiry (EndedSession.Reason says which), whatever ended it now.
    private void Count(List<EndedSession> ended)
    {
        foreach (var (_, reason) in ended)
            metrics.SessionEnded(reason);
    }
}
