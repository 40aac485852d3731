using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sessions.Grains.Keys;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// One user. Every security-relevant change is stored before it is acknowledged; the sliding of
/// <c>lastSeen</c> is stored lazily, at most a tenth of the idle timeout behind. Every security event is audited
/// after it is stored; the client address and acting user come from <see cref="AuditContext"/>.
/// </summary>
internal sealed class UserGrain(
    [PersistentState("user", SessionsStorage.Name)] IPersistentState<UserState> state,
    AccessTokenIssuer tokenIssuer,
    Passwords passwords,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsOptions> options,
    AuditLog audit,
    GrainMetrics metrics) : Grain, IUserGrain
{
    private readonly SessionsOptions _options = options.Value;
    // What a refresh repeated within the grace window gets back: the pair its first presentation got. Memory only.
    private readonly Dictionary<string, (byte[] SpentHash, TokenPair Pair, DateTimeOffset RotatedAt)> _recentRotations = [];
    private DateTimeOffset _lastWrite;
    private bool _dirty;
    private bool _discardOnDeactivation;

    private UserState User => state.State;
    private string UserId => this.GetPrimaryKeyString();
    private TimeSpan Idle => _options.IdleTimeout;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastWrite = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && User.Exists && !_discardOnDeactivation)
            await Save(cancellationToken);
    }

    public async Task<bool> Create(NewAccount account, CancellationToken cancellationToken = default)
    {
        if (User.Exists)
            return false;
        User.Username = account.Username;
        User.PasswordHash = await passwords.HashAsync(account.Password);
        User.Roles = account.Roles;
        User.CreatedAt = time.GetUtcNow();
        await Save(cancellationToken);
        audit.AccountCreated(UserId, AuditContext.ClientIp);
        return true;
    }

    public Task<AccountInfo?> GetAccount(CancellationToken cancellationToken = default) =>
        Task.FromResult(User.Exists ? new AccountInfo(UserId, User.Username!, User.Disabled, User.CreatedAt, User.Roles) : null);

    public async Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var clientIp = request.ClientIp ?? AuditContext.ClientIp;
        if (!User.Exists)
        {
            await passwords.VerifyNobodyAsync(request.Password);
            LoginFailed(null, LoginFailureReasons.UnknownUser, clientIp);
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.IsLockedOut(now))
        {
            LoginFailed(UserId, LoginFailureReasons.LockedOut, clientIp);
            return TokenOutcome.Fail(TokenFailure.LockedOut);
        }
        var verification = await passwords.VerifyAsync(User.PasswordHash!, request.Password);
        if (verification == PasswordVerificationResult.Failed)
        {
            var locked = User.RecordFailedLogin(now, _options.Lockout);
            await Save(cancellationToken);
            LoginFailed(UserId, LoginFailureReasons.BadPassword, clientIp);
            if (locked)
            {
                metrics.LockedOut();
                audit.LockedOut(UserId, User.LockedOutUntil!.Value, clientIp);
            }
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.Disabled)
        {
            LoginFailed(UserId, LoginFailureReasons.Disabled, clientIp);
            return TokenOutcome.Fail(TokenFailure.Disabled);
        }
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
            User.PasswordHash = await passwords.HashAsync(request.Password);
        User.RecordSuccessfulLogin();

        var secret = RefreshSecrets.New();
        var session = new SessionState
        {
            SessionId = Ids.New(),
            DeviceId = request.DeviceId ?? Ids.New(),
            DeviceName = request.DeviceName,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.AbsoluteLifetime,
            RefreshTokenHash = RefreshSecrets.Hash(secret),
        };
        var expired = User.Sessions.Values.Where(s => !s.IsLive(now, Idle)).ToList();
        var replaced = User.AddSession(session, _options.MaxSessionsPerUser, now, Idle);
        User.Prune(now, Idle, _options.AccessTokenLifetime);
        await Save(cancellationToken);
        CountEnded(expired, SessionEndReason.IdleExpired, now);
        foreach (var (ended, reason) in replaced)
        {
            metrics.SessionEnded(reason);
            audit.SessionEndedByService(UserId, ended.SessionId, ended.DeviceId, GrainMetrics.Label(reason), clientIp);
        }
        metrics.LoginSucceeded();
        audit.LoginSucceeded(UserId, session.SessionId, session.DeviceId, clientIp);
        return TokenOutcome.Success(await IssuePair(session, secret, now));
    }

    public async Task<TokenOutcome> Refresh(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId || !User.Exists)
            return RefreshRejected();
        var now = time.GetUtcNow();
        ForgetRotationsOlderThanGrace(now);
        var session = User.GetLiveSession(sessionId, now, Idle, out var expired);
        if (expired is { } expiry)
            NoticedExpiry(expiry);
        if (session is null || User.Disabled)
            return RefreshRejected();

        var hash = RefreshSecrets.Hash(secret);
        if (RefreshSecrets.Matches(hash, session.RefreshTokenHash))
        {
            var newSecret = RefreshSecrets.New();
            session.Rotate(RefreshSecrets.Hash(newSecret), now);
            await Save(cancellationToken);
            var pair = await IssuePair(session, newSecret, now);
            _recentRotations[sessionId] = (hash, pair, now);
            metrics.Refreshed(RefreshResults.Rotated);
            return TokenOutcome.Success(pair);
        }
        if (_recentRotations.TryGetValue(sessionId, out var recent) && RefreshSecrets.Matches(hash, recent.SpentHash)
            && now - recent.RotatedAt <= _options.RefreshReuseGrace)
        {
            metrics.Refreshed(RefreshResults.Replayed);
            return TokenOutcome.Success(recent.Pair);
        }
        if (session.IsSpent(hash))
        {
            if (session.RotatedAt is { } rotatedAt && now - rotatedAt <= _options.RefreshReuseGrace
                && session.LastSpent is { } lastSpent && RefreshSecrets.Matches(hash, lastSpent))
            {
                // The immediate predecessor within grace, but this activation no longer holds the pair it got: refuse without ending the session.
                return RefreshRejected();
            }
            User.EndSession(sessionId);
            _recentRotations.Remove(sessionId);
            await Save(cancellationToken);
            metrics.RefreshReused();
            metrics.SessionEnded(SessionEndReason.Theft);
            audit.RefreshTokenReused(UserId, sessionId, session.DeviceId, AuditContext.ClientIp);
            return TokenOutcome.Fail(TokenFailure.RefreshTokenReused);
        }
        return RefreshRejected();
    }

    private TokenOutcome RefreshRejected()
    {
        metrics.Refreshed(RefreshResults.Rejected);
        return TokenOutcome.Fail(TokenFailure.InvalidRefreshToken);
    }

    public async Task<AccessCheckResult> CheckAccess(AccessCheck check, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        // A rotation's pair (~1.6 KB, mostly its access token) is only needed for the grace window; without this, a
        // user who refreshes and then only makes requests would keep it until their next refresh.
        if (_recentRotations.Count > 0)
            ForgetRotationsOlderThanGrace(now);
        var denial = User.Check(check, now, Idle, out var session);
        if (session is null)
            return Denied(denial);
        session.Slide(now);
        _dirty = true;
        if (now - _lastWrite >= Idle / 10)
            await Save(cancellationToken);
        return new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles);
    }

    public Task<AccessCheckResult> Introspect(AccessCheck check, CancellationToken cancellationToken = default)
    {
        var denial = User.Check(check, time.GetUtcNow(), Idle, out var session);
        return Task.FromResult(session is null
            ? Denied(denial)
            : new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles));
    }

    // A check that finds its session expired has just dropped it: that is when the grain notices the ending.
    private AccessCheckResult Denied(AccessDenial denial)
    {
        if (denial == AccessDenial.IdleExpired)
            NoticedExpiry(SessionEndReason.IdleExpired);
        else if (denial == AccessDenial.AbsoluteExpired)
            NoticedExpiry(SessionEndReason.AbsoluteExpired);
        return AccessCheckResult.Denied(denial);
    }

    // Counted once: the dropped session is written on deactivation at the latest, so a reload cannot bring it back to be counted again.
    private void NoticedExpiry(SessionEndReason reason)
    {
        metrics.SessionEnded(reason);
        _dirty = true;
    }

    public Task<IReadOnlyList<SessionInfo>> GetSessions(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionInfo>>([.. User.LiveSessions(time.GetUtcNow(), Idle).Select(s => s.ToInfo(Idle))]);

    public async Task<bool> EndSession(string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        var session = User.GetLiveSession(sessionId, time.GetUtcNow(), Idle, out var expired);
        if (expired is { } expiry)
            NoticedExpiry(expiry);
        if (session is null)
            return false;
        User.EndSession(sessionId);
        await Save(cancellationToken);
        metrics.SessionEnded(reason);
        if (reason == SessionEndReason.Logout)
            audit.SessionEndedByUser(UserId, sessionId, session.DeviceId, AuditContext.ClientIp);
        else
            audit.SessionRevoked(UserId, sessionId, session.DeviceId, AuditContext.Actor, AuditContext.ClientIp);
        return true;
    }

    public async Task RevokeDevice(string deviceId, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        var now = time.GetUtcNow();
        var ended = User.RevokeDevice(deviceId, now);
        await Save(cancellationToken);
        CountEnded(ended, SessionEndReason.Revoked, now);
        audit.DeviceRevoked(UserId, deviceId, AuditContext.Actor, AuditContext.ClientIp);
    }

    public async Task Logout(string sessionId, LogoutScope scope, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var deviceId = User.Sessions.GetValueOrDefault(sessionId)?.DeviceId;
        var ended = scope switch
        {
            LogoutScope.Local => User.EndSessions(s => s.SessionId == sessionId),
            LogoutScope.Others => User.EndSessions(s => s.SessionId != sessionId),
            _ => User.RevokeAll(now),
        };
        await Save(cancellationToken);
        CountEnded(ended, SessionEndReason.Logout, now);
        var clientIp = AuditContext.ClientIp;
        switch (scope)
        {
            case LogoutScope.Local:
                audit.LoggedOut(UserId, sessionId, deviceId, clientIp);
                break;
            case LogoutScope.Others:
                audit.LoggedOutOthers(UserId, sessionId, deviceId, ended.Count, clientIp);
                break;
            default:
                audit.LoggedOutGlobally(UserId, sessionId, deviceId, ended.Count, clientIp);
                break;
        }
    }

    public async Task RevokeAll(CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        var now = time.GetUtcNow();
        var ended = User.RevokeAll(now);
        await Save(cancellationToken);
        CountEnded(ended, SessionEndReason.Revoked, now);
        audit.UserRevoked(UserId, AuditContext.Actor, AuditContext.ClientIp);
    }

    public async Task RevokeRefreshToken(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId
            || !User.Sessions.TryGetValue(sessionId, out var session))
            return;
        var hash = RefreshSecrets.Hash(secret);
        if (!RefreshSecrets.Matches(hash, session.RefreshTokenHash) && !session.IsSpent(hash))
            return;
        var now = time.GetUtcNow();
        User.EndSession(sessionId);
        await Save(cancellationToken);
        CountEnded([session], SessionEndReason.Revoked, now);
        audit.RefreshTokenRevoked(UserId, sessionId, session.DeviceId, AuditContext.ClientIp);
    }

    public async Task RevokeAccessToken(string sessionId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || expiresAt + SessionsOptions.ClockSkew <= time.GetUtcNow())
            return;
        User.RevokeJti(jti, expiresAt);
        await Save(cancellationToken);
        audit.AccessTokenRevoked(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, jti, AuditContext.ClientIp);
    }

    public async Task<bool> ChangePassword(string sessionId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || await passwords.VerifyAsync(User.PasswordHash!, currentPassword) == PasswordVerificationResult.Failed)
            return false;
        var now = time.GetUtcNow();
        User.PasswordHash = await passwords.HashAsync(newPassword);
        var ended = User.EndSessions(s => s.SessionId != sessionId);
        await Save(cancellationToken);
        CountEnded(ended, SessionEndReason.PasswordChanged, now);
        audit.PasswordChanged(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, ended.Count, AuditContext.ClientIp);
        return true;
    }

    public async Task<bool> SetDisabled(bool disabled, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return false;
        var now = time.GetUtcNow();
        User.Disabled = disabled;
        List<SessionState> ended = [];
        if (disabled)
            ended = User.RevokeAll(now);
        else
            User.RecordSuccessfulLogin();
        await Save(cancellationToken);
        CountEnded(ended, SessionEndReason.Disabled, now);
        if (disabled)
            audit.AccountDisabled(UserId, AuditContext.Actor, AuditContext.ClientIp);
        else
            audit.AccountEnabled(UserId, AuditContext.Actor, AuditContext.ClientIp);
        return true;
    }

    private void LoginFailed(string? userId, string reason, string? clientIp)
    {
        metrics.LoginFailed(reason);
        audit.LoginFailed(userId, reason, clientIp);
    }

    // A session that had already run out ends by its expiry, whatever else was ending it now.
    private void CountEnded(IEnumerable<SessionState> sessions, SessionEndReason reason, DateTimeOffset now)
    {
        foreach (var session in sessions)
            metrics.SessionEnded(session.ExpiryAt(now, Idle) ?? reason);
    }

    private void ForgetRotationsOlderThanGrace(DateTimeOffset now)
    {
        // Removing while enumerating is allowed for Dictionary (since .NET Core 3.0), so this allocates nothing.
        foreach (var (sessionId, rotation) in _recentRotations)
        {
            if (now - rotation.RotatedAt > _options.RefreshReuseGrace)
                _recentRotations.Remove(sessionId);
        }
    }

    private async Task<TokenPair> IssuePair(SessionState session, string secret, DateTimeOffset now)
    {
        var key = await GrainFactory.GetGrain<IKeyRingGrain>(0).GetActiveKey();
        var accessToken = tokenIssuer.Issue(key, UserId, session.SessionId, session.DeviceId, Ids.New(), User.Roles.Contains("admin"), now);
        return new TokenPair(accessToken, (int)_options.AccessTokenLifetime.TotalSeconds,
            RefreshTokenFormat.Create(UserId, session.SessionId, secret), session.SessionId, session.DeviceId);
    }

    private async Task Save(CancellationToken cancellationToken)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Memory now holds a change that was never acknowledged: drop it and start again from storage,
            // rather than answer from it or write it on the way out.
            _discardOnDeactivation = true;
            DeactivateOnIdle();
            throw;
        }
        _lastWrite = time.GetUtcNow();
        _dirty = false;
    }
}
