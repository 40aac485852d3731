namespace Sessions.Grains.Users;

/// <summary>Everything about one user. The rules are plain methods here, so they can be tested without a cluster.</summary>
[GenerateSerializer, Alias("Sessions.UserState")]
public sealed class UserState
{
    [Id(0)] public string? Username { get; set; }
    [Id(1)] public string? PasswordHash { get; set; }
    [Id(2)] public string[] Roles { get; set; } = [];
    [Id(3)] public bool Disabled { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public int FailedLogins { get; set; }
    [Id(6)] public DateTimeOffset? LockedOutUntil { get; set; }
    [Id(7)] public Dictionary<string, SessionState> Sessions { get; set; } = [];
    [Id(8)] public DateTimeOffset? RevokedBefore { get; set; }
    [Id(9)] public Dictionary<string, DateTimeOffset> DeviceRevokedBefore { get; set; } = [];
    [Id(10)] public Dictionary<string, DateTimeOffset> RevokedJtis { get; set; } = [];

    public bool Exists => PasswordHash is not null;

    public bool IsLockedOut(DateTimeOffset now) => LockedOutUntil is { } until && now < until;

    /// <summary>Counts a wrong password; true if it locked the account.</summary>
    public bool RecordFailedLogin(DateTimeOffset now, LockoutOptions lockout)
    {
        FailedLogins++;
        if (FailedLogins < lockout.MaxFailures)
            return false;
        FailedLogins = 0;
        LockedOutUntil = now + lockout.Duration;
        return true;
    }

    public void RecordSuccessfulLogin()
    {
        FailedLogins = 0;
        LockedOutUntil = null;
    }

    /// <summary>The session if it is live at <paramref name="now"/>; expired sessions are dropped.</summary>
    public SessionState? GetLiveSession(string sessionId, DateTimeOffset now, TimeSpan idleTimeout, out SessionEndReason? expiredBecause)
    {
        expiredBecause = null;
        if (!Sessions.TryGetValue(sessionId, out var session))
            return null;
        expiredBecause = session.ExpiryAt(now, idleTimeout);
        if (expiredBecause is null)
            return session;
        Sessions.Remove(sessionId);
        return null;
    }

    /// <summary>The whole per-request decision: is a token with this jti and iat, of this session, accepted now?</summary>
    public AccessDenial Check(AccessCheck check, DateTimeOffset now, TimeSpan idleTimeout, out SessionState? session)
    {
        session = null;
        if (!Exists)
            return AccessDenial.UnknownUser;
        if (Disabled)
            return AccessDenial.Disabled;
        if (RevokedJtis.TryGetValue(check.Jti, out var jtiExpiry) && now < jtiExpiry + SessionsTokenOptions.ClockSkew)
            return AccessDenial.TokenRevoked;
        if (IsRevokedBy(RevokedBefore, check.IssuedAt))
            return AccessDenial.TokenRevoked;
        session = GetLiveSession(check.SessionId, now, idleTimeout, out var expired);
        if (session is null)
            return expired?.Denial() ?? AccessDenial.SessionEnded;
        if (DeviceRevokedBefore.TryGetValue(session.DeviceId, out var deviceCutoff) && IsRevokedBy(deviceCutoff, check.IssuedAt))
        {
            session = null;
            return AccessDenial.TokenRevoked;
        }
        return AccessDenial.None;
    }

    // iat has whole-second precision; a token issued in the revoking second itself is rejected through its ended session.
    private static bool IsRevokedBy(DateTimeOffset? cutoff, DateTimeOffset issuedAt) =>
        cutoff is { } c && issuedAt.ToUnixTimeSeconds() < c.ToUnixTimeSeconds();

    /// <summary>Adds a session, ending the device's previous one and the least recently used ones past the cap.</summary>
    public List<(SessionState Session, SessionEndReason Reason)> AddSession(SessionState session, int maxSessions, DateTimeOffset now, TimeSpan idleTimeout)
    {
        var ended = new List<(SessionState, SessionEndReason)>();
        foreach (var existing in Sessions.Values.ToList())
        {
            if (existing.ExpiryAt(now, idleTimeout) is { } reason)
            {
                Sessions.Remove(existing.SessionId);
            }
            else if (existing.DeviceId == session.DeviceId)
            {
                Sessions.Remove(existing.SessionId);
                ended.Add((existing, SessionEndReason.DeviceReplaced));
            }
        }
        while (Sessions.Count >= maxSessions)
        {
            var leastRecent = Sessions.Values.MinBy(s => s.LastSeenAt)!;
            Sessions.Remove(leastRecent.SessionId);
            ended.Add((leastRecent, SessionEndReason.CapEvicted));
        }
        Sessions[session.SessionId] = session;
        return ended;
    }

    public bool EndSession(string sessionId) => Sessions.Remove(sessionId);

    public List<SessionState> EndSessions(Func<SessionState, bool> predicate)
    {
        var ended = Sessions.Values.Where(predicate).ToList();
        foreach (var session in ended)
            Sessions.Remove(session.SessionId);
        return ended;
    }

    /// <summary>Rejects every token issued before <paramref name="now"/> and ends every session; returns the sessions it ended.</summary>
    public List<SessionState> RevokeAll(DateTimeOffset now)
    {
        RevokedBefore = now;
        var ended = Sessions.Values.ToList();
        Sessions.Clear();
        return ended;
    }

    /// <summary>Ends the device's sessions and rejects every token issued to it before <paramref name="now"/>; returns the sessions it ended.</summary>
    public List<SessionState> RevokeDevice(string deviceId, DateTimeOffset now)
    {
        var ended = EndSessions(s => s.DeviceId == deviceId);
        DeviceRevokedBefore[deviceId] = now;
        return ended;
    }

    public void RevokeJti(string jti, DateTimeOffset expiresAt) => RevokedJtis[jti] = expiresAt;

    /// <summary>Drops what can no longer matter: expired sessions, denylisted jtis past their expiry, device cut-offs older than any live token.</summary>
    public void Prune(DateTimeOffset now, TimeSpan idleTimeout, TimeSpan accessTokenLifetime)
    {
        foreach (var session in Sessions.Values.Where(s => !s.IsLive(now, idleTimeout)).ToList())
            Sessions.Remove(session.SessionId);
        foreach (var (jti, expiresAt) in RevokedJtis.Where(e => now >= e.Value + SessionsTokenOptions.ClockSkew).ToList())
            RevokedJtis.Remove(jti);
        var oldestLiveIssue = now - accessTokenLifetime - SessionsTokenOptions.ClockSkew;
        foreach (var (deviceId, _) in DeviceRevokedBefore.Where(e => e.Value < oldestLiveIssue).ToList())
            DeviceRevokedBefore.Remove(deviceId);
    }

    public IEnumerable<SessionState> LiveSessions(DateTimeOffset now, TimeSpan idleTimeout) =>
        Sessions.Values.Where(s => s.IsLive(now, idleTimeout)).OrderBy(s => s.CreatedAt);
}
