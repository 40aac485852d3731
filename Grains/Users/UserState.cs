using System.Text;

namespace Sessions.Grains.Users;

/// <summary>Everything about one user. The rules are plain methods here, so they can be tested without a cluster.</summary>
[GenerateSerializer, Alias("Sessions.UserState")]
public sealed class UserState
{
    [Id(0)] public string? Username { get; set; }
    /// <summary>
    /// The stored password hash. Held as its UTF-8 bytes: a hash string is ASCII (PHC, or ASP.NET Core Identity's
    /// base64), so its 93 characters take 120 bytes instead of 208; it is read at login and password change only, and
    /// a write or copy makes the string again.
    /// </summary>
    [Id(1)]
    public string? PasswordHash
    {
        get => _passwordHash is null ? null : Encoding.UTF8.GetString(_passwordHash);
        set => _passwordHash = value is null ? null : Encoding.UTF8.GetBytes(value);
    }

    [NonSerialized] private byte[]? _passwordHash;
    /// <summary>The user's roles; no roles is the one shared empty array, not one of 24 bytes per user as deserialised.</summary>
    [Id(2)] public string[] Roles { get; set => field = value is [] ? [] : value; } = [];
    [Id(3)] public bool Disabled { get; set; }
    // Instants as UTC ticks (UtcInstant): 40 bytes less per user than three DateTimeOffset fields, two of them nullable.
    [NonSerialized] private long _createdAt;
    [NonSerialized] private long _lockedOutUntil;
    [NonSerialized] private long _revokedBefore;

    [Id(4)] public DateTimeOffset CreatedAt { get => UtcInstant.From(_createdAt); set => _createdAt = UtcInstant.Ticks(value); }
    [Id(5)] public int FailedLogins { get; set; }
    [Id(6)] public DateTimeOffset? LockedOutUntil { get => UtcInstant.FromOptional(_lockedOutUntil); set => _lockedOutUntil = UtcInstant.Ticks(value); }
    /// <summary>The stored form of <see cref="Sessions"/>: a map, empty when there is none.</summary>
    [Id(7)]
    internal Dictionary<string, SessionState> StoredSessions
    {
        get => _sessions.ToDictionary();
        set => _sessions = SessionMap.From(value);
    }

    [NonSerialized] private SessionMap _sessions;

    /// <summary>The user's sessions by id, live or not yet dropped.</summary>
    public SessionMap Sessions => _sessions;
    [Id(8)] public DateTimeOffset? RevokedBefore { get => UtcInstant.FromOptional(_revokedBefore); set => _revokedBefore = UtcInstant.Ticks(value); }

    // Null while empty, as for most users they always are: two empty maps cost every user in memory 160 bytes.
    [NonSerialized] private Dictionary<string, DateTimeOffset>? _deviceRevokedBefore;
    [NonSerialized] private Dictionary<string, DateTimeOffset>? _revokedJtis;

    /// <summary>
    /// The stored form of <see cref="DeviceRevokedBefore"/>: a map, empty when there is none, as it was stored before
    /// it was kept null in memory (so a state written now still loads where the map was never null).
    /// </summary>
    [Id(9)]
    internal Dictionary<string, DateTimeOffset> StoredDeviceRevokedBefore
    {
        get => _deviceRevokedBefore ?? [];
        set => _deviceRevokedBefore = NullIfEmpty(value);
    }

    /// <summary>The stored form of <see cref="RevokedJtis"/>, as <see cref="StoredDeviceRevokedBefore"/>.</summary>
    [Id(10)]
    internal Dictionary<string, DateTimeOffset> StoredRevokedJtis
    {
        get => _revokedJtis ?? [];
        set => _revokedJtis = NullIfEmpty(value);
    }

    /// <summary>Per device revoked with <see cref="RevokeDevice"/>, its cut-off: tokens issued to it before are rejected.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> DeviceRevokedBefore => _deviceRevokedBefore ?? Empty;

    /// <summary>Denylisted access tokens (<see cref="RevokeJti"/>), each with its expiry.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> RevokedJtis => _revokedJtis ?? Empty;

    private static readonly IReadOnlyDictionary<string, DateTimeOffset> Empty = new Dictionary<string, DateTimeOffset>();

    private static Dictionary<string, DateTimeOffset>? NullIfEmpty(Dictionary<string, DateTimeOffset>? map) => map is { Count: > 0 } ? map : null;

    public bool Exists => _passwordHash is not null;

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

    /// <summary>
    /// The session if it is live at <paramref name="now"/>. A query: a session found expired is left in place and named
    /// in <paramref name="expiredBecause"/>, for the caller to drop (<see cref="EndSession"/>) and count if it may change state.
    /// </summary>
    public SessionState? FindLiveSession(string sessionId, DateTimeOffset now, TimeSpan idleTimeout, out SessionEndReason? expiredBecause)
    {
        expiredBecause = null;
        if (!Sessions.TryGetValue(sessionId, out var session))
            return null;
        expiredBecause = session.ExpiryAt(now, idleTimeout);
        return expiredBecause is null ? session : null;
    }

    /// <summary>
    /// The whole per-request decision: is a token with this jti and iat, of this session, accepted now? A query: it
    /// changes nothing, and names a session it found expired in <see cref="AccessDecision.Expired"/>.
    /// </summary>
    public AccessDecision Check(AccessCheck check, DateTimeOffset now, TimeSpan idleTimeout)
    {
        if (!Exists)
            return AccessDecision.Deny(AccessDenial.UnknownUser);
        if (Disabled)
            return AccessDecision.Deny(AccessDenial.Disabled);
        if (_revokedJtis is { } jtis && jtis.TryGetValue(check.Jti, out var jtiExpiry) && now < jtiExpiry + SessionsTokenOptions.ClockSkew)
            return AccessDecision.Deny(AccessDenial.TokenRevoked);
        if (IsRevokedBy(RevokedBefore, check.IssuedAt))
            return AccessDecision.Deny(AccessDenial.TokenRevoked);
        var session = FindLiveSession(check.SessionId, now, idleTimeout, out var expired);
        if (session is null)
            return new AccessDecision(expired?.Denial() ?? AccessDenial.SessionEnded, null, expired);
        if (_deviceRevokedBefore is { } devices && devices.TryGetValue(session.DeviceId, out var deviceCutoff) && IsRevokedBy(deviceCutoff, check.IssuedAt))
            return AccessDecision.Deny(AccessDenial.TokenRevoked);
        return new AccessDecision(AccessDenial.None, session, null);
    }

    // iat has whole-second precision; a token issued in the revoking second itself is rejected through its ended session.
    private static bool IsRevokedBy(DateTimeOffset? cutoff, DateTimeOffset issuedAt) =>
        cutoff is { } c && issuedAt.ToUnixTimeSeconds() < c.ToUnixTimeSeconds();

    /// <summary>
    /// Adds a login's session in one pass over the others: expired ones are dropped (ended by their expiry), the
    /// device's previous one is replaced, the least recently used ones past the cap are evicted; then revocations that
    /// can no longer matter are pruned (<see cref="PruneRevocations"/>). Returns every session it ended, with why.
    /// </summary>
    public List<EndedSession> StartSession(SessionState session, int maxSessions, DateTimeOffset now, TimeSpan idleTimeout, TimeSpan accessTokenLifetime)
    {
        var ended = new List<EndedSession>();
        foreach (var existing in _sessions.ToList())
        {
            if (existing.ExpiryAt(now, idleTimeout) is { } expiry)
            {
                _sessions.Remove(existing.SessionId);
                ended.Add(new(existing, expiry));
            }
            else if (existing.DeviceId == session.DeviceId)
            {
                _sessions.Remove(existing.SessionId);
                ended.Add(new(existing, SessionEndReason.DeviceReplaced));
            }
        }
        while (_sessions.Count >= maxSessions)
        {
            var leastRecent = _sessions.Values.MinBy(s => s.LastSeenAt)!;
            _sessions.Remove(leastRecent.SessionId);
            ended.Add(new(leastRecent, SessionEndReason.CapEvicted));
        }
        _sessions.Put(session);
        PruneRevocations(now, accessTokenLifetime);
        return ended;
    }

    public bool EndSession(string sessionId) => _sessions.Remove(sessionId);

    /// <summary>
    /// Ends the sessions that match; each ends by <paramref name="reason"/>, or by its expiry if it had already run out.
    /// </summary>
    public List<EndedSession> EndSessions(Func<SessionState, bool> predicate, SessionEndReason reason, DateTimeOffset now, TimeSpan idleTimeout)
    {
        var ended = new List<EndedSession>();
        foreach (var session in _sessions.Values)
        {
            if (predicate(session))
                ended.Add(new(session, session.ExpiryAt(now, idleTimeout) ?? reason));
        }
        foreach (var (session, _) in ended)
            _sessions.Remove(session.SessionId);
        return ended;
    }

    /// <summary>Rejects every token issued before <paramref name="now"/> and ends every session; returns the sessions it ended.</summary>
    public List<EndedSession> RevokeAll(SessionEndReason reason, DateTimeOffset now, TimeSpan idleTimeout)
    {
        RevokedBefore = now;
        return EndSessions(_ => true, reason, now, idleTimeout);
    }

    /// <summary>Ends the device's sessions and rejects every token issued to it before <paramref name="now"/>; returns the sessions it ended.</summary>
    public List<EndedSession> RevokeDevice(string deviceId, DateTimeOffset now, TimeSpan idleTimeout)
    {
        var ended = EndSessions(s => s.DeviceId == deviceId, SessionEndReason.Revoked, now, idleTimeout);
        (_deviceRevokedBefore ??= [])[deviceId] = now;
        return ended;
    }

    public void RevokeJti(string jti, DateTimeOffset expiresAt) => (_revokedJtis ??= [])[jti] = expiresAt;

    /// <summary>Drops revocations that can no longer matter: denylisted jtis past their expiry, device cut-offs older than any live token.</summary>
    public void PruneRevocations(DateTimeOffset now, TimeSpan accessTokenLifetime)
    {
        var oldestLiveIssue = now - accessTokenLifetime - SessionsTokenOptions.ClockSkew;
        _revokedJtis = Pruned(_revokedJtis, expiresAt => now >= expiresAt + SessionsTokenOptions.ClockSkew);
        _deviceRevokedBefore = Pruned(_deviceRevokedBefore, cutoff => cutoff < oldestLiveIssue);
    }

    // Removing while enumerating is allowed for Dictionary (since .NET Core 3.0); a map left empty goes back to null.
    private static Dictionary<string, DateTimeOffset>? Pruned(Dictionary<string, DateTimeOffset>? map, Func<DateTimeOffset, bool> stale)
    {
        if (map is null)
            return null;
        foreach (var (key, value) in map)
        {
            if (stale(value))
                map.Remove(key);
        }
        return NullIfEmpty(map);
    }

    public IEnumerable<SessionState> LiveSessions(DateTimeOffset now, TimeSpan idleTimeout) =>
        _sessions.Values.Where(s => s.IsLive(now, idleTimeout)).OrderBy(s => s.CreatedAt);
}
