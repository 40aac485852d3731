using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grains.Keys;

namespace Sessions.Grains.Users;

/// <summary>
/// One user. Every security-relevant change is stored before it is acknowledged; the sliding of
/// <c>lastSeen</c> is stored lazily, at most a tenth of the idle timeout behind.
/// </summary>
internal sealed partial class UserGrain(
    [PersistentState("user", SessionsStorage.Name)] IPersistentState<UserState> state,
    AccessTokenIssuer tokenIssuer,
    Passwords passwords,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain
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
        User.PasswordHash = passwords.Hash(account.Password);
        User.Roles = account.Roles;
        User.CreatedAt = time.GetUtcNow();
        await Save(cancellationToken);
        LogAccountCreated(logger, UserId);
        return true;
    }

    public Task<AccountInfo?> GetAccount(CancellationToken cancellationToken = default) =>
        Task.FromResult(User.Exists ? new AccountInfo(UserId, User.Username!, User.Disabled, User.CreatedAt, User.Roles) : null);

    public async Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!User.Exists)
        {
            passwords.VerifyNobody(request.Password);
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.IsLockedOut(now))
        {
            LogLoginFailed(logger, UserId, "locked out", request.ClientIp);
            return TokenOutcome.Fail(TokenFailure.LockedOut);
        }
        var verification = passwords.Verify(User.PasswordHash!, request.Password);
        if (verification == PasswordVerificationResult.Failed)
        {
            var locked = User.RecordFailedLogin(now, _options.Lockout);
            await Save(cancellationToken);
            LogLoginFailed(logger, UserId, "wrong password", request.ClientIp);
            if (locked)
                LogLockedOut(logger, UserId, User.LockedOutUntil!.Value, request.ClientIp);
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.Disabled)
        {
            LogLoginFailed(logger, UserId, "disabled", request.ClientIp);
            return TokenOutcome.Fail(TokenFailure.Disabled);
        }
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
            User.PasswordHash = passwords.Hash(request.Password);
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
        foreach (var (ended, reason) in User.AddSession(session, _options.MaxSessionsPerUser, now, Idle))
            LogSessionEnded(logger, UserId, ended.SessionId, ended.DeviceId, reason);
        User.Prune(now, Idle, _options.AccessTokenLifetime);
        await Save(cancellationToken);
        LogLogin(logger, UserId, session.SessionId, session.DeviceId, request.ClientIp);
        return TokenOutcome.Success(await IssuePair(session, secret, now));
    }

    public async Task<TokenOutcome> Refresh(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId || !User.Exists)
            return TokenOutcome.Fail(TokenFailure.InvalidRefreshToken);
        var now = time.GetUtcNow();
        ForgetRotationsOlderThanGrace(now);
        var session = User.GetLiveSession(sessionId, now, Idle, out _);
        if (session is null || User.Disabled)
            return TokenOutcome.Fail(TokenFailure.InvalidRefreshToken);

        var hash = RefreshSecrets.Hash(secret);
        if (RefreshSecrets.Matches(hash, session.RefreshTokenHash))
        {
            var newSecret = RefreshSecrets.New();
            session.Rotate(RefreshSecrets.Hash(newSecret), now);
            await Save(cancellationToken);
            var pair = await IssuePair(session, newSecret, now);
            _recentRotations[sessionId] = (hash, pair, now);
            return TokenOutcome.Success(pair);
        }
        if (_recentRotations.TryGetValue(sessionId, out var recent) && RefreshSecrets.Matches(hash, recent.SpentHash)
            && now - recent.RotatedAt <= _options.RefreshReuseGrace)
        {
            return TokenOutcome.Success(recent.Pair);
        }
        if (session.IsSpent(hash))
        {
            if (session.RotatedAt is { } rotatedAt && now - rotatedAt <= _options.RefreshReuseGrace
                && session.LastSpent is { } lastSpent && RefreshSecrets.Matches(hash, lastSpent))
            {
                // The immediate predecessor within grace, but this activation no longer holds the pair it got: refuse without ending the session.
                return TokenOutcome.Fail(TokenFailure.InvalidRefreshToken);
            }
            User.EndSession(sessionId);
            _recentRotations.Remove(sessionId);
            await Save(cancellationToken);
            LogRefreshTheft(logger, UserId, sessionId, session.DeviceId);
            return TokenOutcome.Fail(TokenFailure.RefreshTokenReused);
        }
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
            return AccessCheckResult.Denied(denial);
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
            ? AccessCheckResult.Denied(denial)
            : new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles));
    }

    public Task<IReadOnlyList<SessionInfo>> GetSessions(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionInfo>>([.. User.LiveSessions(time.GetUtcNow(), Idle).Select(s => s.ToInfo(Idle))]);

    public async Task<bool> EndSession(string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        var session = User.GetLiveSession(sessionId, time.GetUtcNow(), Idle, out _);
        if (session is null)
            return false;
        User.EndSession(sessionId);
        await Save(cancellationToken);
        LogSessionEnded(logger, UserId, sessionId, session.DeviceId, reason);
        return true;
    }

    public async Task RevokeDevice(string deviceId, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        User.RevokeDevice(deviceId, time.GetUtcNow());
        await Save(cancellationToken);
        LogDeviceRevoked(logger, UserId, deviceId);
    }

    public async Task Logout(string sessionId, LogoutScope scope, CancellationToken cancellationToken = default)
    {
        switch (scope)
        {
            case LogoutScope.Local:
                User.EndSession(sessionId);
                break;
            case LogoutScope.Others:
                User.EndSessions(s => s.SessionId != sessionId);
                break;
            case LogoutScope.Global:
                User.RevokeAll(time.GetUtcNow());
                break;
        }
        await Save(cancellationToken);
        LogLogout(logger, UserId, sessionId, scope);
    }

    public async Task RevokeAll(CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        User.RevokeAll(time.GetUtcNow());
        await Save(cancellationToken);
        LogUserRevoked(logger, UserId);
    }

    public async Task RevokeRefreshToken(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId
            || !User.Sessions.TryGetValue(sessionId, out var session))
            return;
        var hash = RefreshSecrets.Hash(secret);
        if (!RefreshSecrets.Matches(hash, session.RefreshTokenHash) && !session.IsSpent(hash))
            return;
        User.EndSession(sessionId);
        await Save(cancellationToken);
        LogSessionEnded(logger, UserId, sessionId, session.DeviceId, SessionEndReason.Revoked);
    }

    public async Task RevokeAccessToken(string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || expiresAt + SessionsOptions.ClockSkew <= time.GetUtcNow())
            return;
        User.RevokeJti(jti, expiresAt);
        await Save(cancellationToken);
        LogAccessTokenRevoked(logger, UserId, jti);
    }

    public async Task<bool> ChangePassword(string sessionId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || passwords.Verify(User.PasswordHash!, currentPassword) == PasswordVerificationResult.Failed)
            return false;
        User.PasswordHash = passwords.Hash(newPassword);
        User.EndSessions(s => s.SessionId != sessionId);
        await Save(cancellationToken);
        LogPasswordChanged(logger, UserId, sessionId);
        return true;
    }

    public async Task<bool> SetDisabled(bool disabled, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return false;
        User.Disabled = disabled;
        if (disabled)
            User.RevokeAll(time.GetUtcNow());
        else
            User.RecordSuccessfulLogin();
        await Save(cancellationToken);
        LogDisabledChanged(logger, UserId, disabled);
        return true;
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Account {UserId} created")]
    private static partial void LogAccountCreated(ILogger logger, string userId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Login of {UserId}: session {SessionId} on device {DeviceId} from {ClientIp}")]
    private static partial void LogLogin(ILogger logger, string userId, string sessionId, string deviceId, string? clientIp);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Login of {UserId} failed ({Reason}) from {ClientIp}")]
    private static partial void LogLoginFailed(ILogger logger, string userId, string reason, string? clientIp);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Account {UserId} locked out until {Until} after failures from {ClientIp}")]
    private static partial void LogLockedOut(ILogger logger, string userId, DateTimeOffset until, string? clientIp);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Refresh token reuse on session {SessionId} of {UserId} (device {DeviceId}): session ended as stolen")]
    private static partial void LogRefreshTheft(ILogger logger, string userId, string sessionId, string deviceId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Session {SessionId} of {UserId} on device {DeviceId} ended: {Reason}")]
    private static partial void LogSessionEnded(ILogger logger, string userId, string sessionId, string deviceId, SessionEndReason reason);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Device {DeviceId} of {UserId} revoked")]
    private static partial void LogDeviceRevoked(ILogger logger, string userId, string deviceId);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Logout of {UserId} from session {SessionId}, scope {Scope}")]
    private static partial void LogLogout(ILogger logger, string userId, string sessionId, LogoutScope scope);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Every session and token of {UserId} revoked")]
    private static partial void LogUserRevoked(ILogger logger, string userId);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Access token {Jti} of {UserId} revoked")]
    private static partial void LogAccessTokenRevoked(ILogger logger, string userId, string jti);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Password of {UserId} changed from session {SessionId}")]
    private static partial void LogPasswordChanged(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Account {UserId} disabled: {Disabled}")]
    private static partial void LogDisabledChanged(ILogger logger, string userId, bool disabled);
}
