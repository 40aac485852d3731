using Microsoft.AspNetCore.Identity;
using Orleans.Storage;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// One user. Every security-relevant change is stored before it is acknowledged; a change whose write fails is
/// rolled back in memory, so the grain goes on answering from what was acknowledged. The sliding of <c>lastSeen</c>
/// is stored lazily, at most a tenth of the idle timeout behind, in the background: no request waits for storage.
/// Each command reads as decide → store → report: the rules are methods on <see cref="UserState"/> and
/// <see cref="SessionState"/>, the grain applies and stores what they decide, then hands the outcome to
/// <see cref="UserEvents"/>, the one place outcomes become metrics and audit events.
/// </summary>
/// <remarks>
/// <see cref="CheckAccess"/> and <see cref="Introspect"/> interleave with the commands (<c>[AlwaysInterleave]</c>): they
/// run, whole and synchronously, at a command's awaits, above all while its write is in flight. They see the command's
/// change in memory from before its write, so what they add is a denial before the acknowledgement, never an acceptance
/// after it; and no lazy write starts while a command's write is pending (<see cref="Save"/>, <see cref="WriteSchedule"/>).
/// <see cref="Introspect"/> is a query; <see cref="CheckAccess"/> changes memory, and says so: it slides the session and
/// drops one it finds expired, which is when that ending is counted.
/// </remarks>
internal sealed class UserGrain(
    [PersistentState("user", SessionsStorage.Name)] IPersistentState<UserState> state,
    UserGrainServices services) : Grain, IUserGrain
{
    // While storage is down, a lazy write is tried again this long after it failed, not on every request.
    private static readonly TimeSpan LazyWriteRetry = TimeSpan.FromSeconds(5);

    // Made at the first rotation: most users in memory are one login that never refreshed, and it costs each 32 bytes.
    private RecentRotations? _recentRotations;
    private readonly WriteSchedule _writes = new(services.Time, services.Options.IdleTimeout / 10, LazyWriteRetry);
    private Task? _lazyWrite;

    private UserState User => state.State;
    private string UserId => this.GetPrimaryKeyString();
    private TimeSpan Idle => services.Options.IdleTimeout;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writes.Activated();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A finishing lazy write may start the next one (WriteLazily).
        while (_lazyWrite is { IsCompleted: false } pending)
            await pending;
        if (_writes.Dirty && User.Exists && !_writes.Discarded)
            await state.WriteStateAsync(cancellationToken);
    }

    public async Task<bool> Create(NewAccount account, CancellationToken cancellationToken = default)
    {
        if (User.Exists)
            return false;
        var before = Snapshot();
        User.Username = account.Username;
        User.PasswordHash = await services.Passwords.HashAsync(account.Password);
        User.Roles = account.Roles;
        User.CreatedAt = services.Time.GetUtcNow();
        await Save(before, cancellationToken);
        services.Events.AccountCreated(UserId);
        return true;
    }

    public Task<AccountInfo?> GetAccount(CancellationToken cancellationToken = default) =>
        Task.FromResult(User.Exists ? new AccountInfo(UserId, User.Username!, User.Disabled, User.CreatedAt, User.Roles) : null);

    public async Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default)
    {
        var now = services.Time.GetUtcNow();
        var clientIp = request.ClientIp ?? AuditContext.ClientIp;
        if (!User.Exists)
        {
            await services.Passwords.VerifyNobodyAsync(request.Password);
            services.Events.LoginFailed(null, LoginFailureReasons.UnknownUser, clientIp);
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.IsLockedOut(now))
        {
            // The same hash work as any other failure, so a locked account cannot be told apart by its speed.
            await services.Passwords.VerifyNobodyAsync(request.Password);
            services.Events.LoginFailed(UserId, LoginFailureReasons.LockedOut, clientIp);
            return TokenOutcome.Fail(TokenFailure.LockedOut);
        }
        var verification = await services.Passwords.VerifyAsync(User.PasswordHash!, request.Password);
        var before = Snapshot();
        if (verification == PasswordVerificationResult.Failed)
        {
            var locked = User.RecordFailedLogin(now, services.Options.Lockout);
            await Save(before, cancellationToken);
            services.Events.LoginFailed(UserId, LoginFailureReasons.BadPassword, clientIp);
            if (locked)
                services.Events.LockedOut(UserId, User.LockedOutUntil!.Value, clientIp);
            return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
        }
        if (User.Disabled)
        {
            services.Events.LoginFailed(UserId, LoginFailureReasons.Disabled, clientIp);
            return TokenOutcome.Fail(TokenFailure.Disabled);
        }
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
            User.PasswordHash = await services.Passwords.HashAsync(request.Password);
        User.RecordSuccessfulLogin();

        var secret = RefreshSecrets.New();
        var session = new SessionState
        {
            SessionId = Ids.New(),
            DeviceId = request.DeviceId ?? Ids.New(),
            DeviceName = request.DeviceName,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + services.Options.AbsoluteLifetime,
            RefreshTokenHash = RefreshSecrets.Hash(secret),
        };
        var ended = User.StartSession(session, services.Options.MaxSessionsPerUser, now, Idle, services.Tokens.AccessTokenLifetime);
        await Save(before, cancellationToken);
        services.Events.LoggedIn(UserId, session, ended, clientIp);
        return TokenOutcome.Success(await IssuePair(session, secret, now));
    }

    public async Task<TokenOutcome> Refresh(string refreshToken, CancellationToken cancellationToken = default)
    {
        // Checked when the call starts, which is also after any wait in this activation's queue.
        if (RefreshDeadline.HasPassed())
            throw new RefreshTooLateException("The refresh reached its user past its deadline and was not applied; the client may retry it.");
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId || !User.Exists)
            return Rejected(null);
        var now = services.Time.GetUtcNow();
        _recentRotations?.ForgetOlderThanGrace(now);
        var session = LiveSessionDroppingExpired(sessionId, now);
        if (session is null || User.Disabled)
            return Rejected(session);

        var hash = RefreshSecrets.Hash(secret);
        var presented = session.Recognise(hash);
        if (presented == PresentedSecret.Current)
        {
            var newSecret = RefreshSecrets.Next(await services.RefreshSecretKey.Get(cancellationToken), UserId, sessionId, secret);
            if (!IsHeld(session))
                return Rejected(session);
            var before = Snapshot();
            session.Rotate(RefreshSecrets.Hash(newSecret), now);
            await Save(before, cancellationToken);
            var pair = await IssuePair(session, newSecret, now);
            (_recentRotations ??= new(services.Options.RefreshReuseGrace)).Remember(sessionId, hash, pair, now);
            return Refreshed(RefreshOutcome.Rotated, session, TokenOutcome.Success(pair));
        }
        if (_recentRotations?.Replay(sessionId, hash, now) is { } recent)
            return Refreshed(RefreshOutcome.Replayed, session, TokenOutcome.Success(recent));
        var outcome = presented == PresentedSecret.Spent ? RefreshOutcome.Theft : RefreshOutcome.Rejected;
        if (presented == PresentedSecret.JustSpent)
        {
            var successor = RefreshSecrets.Next(await services.RefreshSecretKey.Get(cancellationToken), UserId, sessionId, secret);
            if (!IsHeld(session))
                return Rejected(session);
            outcome = session.AnswerJustSpent(RefreshSecrets.Hash(successor), now, services.Options.RefreshReuseGrace);
            if (outcome == RefreshOutcome.Replayed)
            {
                // The answer of the rotation that spent this secret may never have reached the client: answer it
                // again, with the same refresh token (one lineage) and a fresh access token, without rotating.
                session.Slide(now);
                _writes.Changed();
                services.Events.Refreshed(outcome, UserId, session);
                return TokenOutcome.Success(await IssuePair(session, successor, now));
            }
        }
        if (outcome == RefreshOutcome.Theft)
        {
            var before = Snapshot();
            User.EndSession(sessionId);
            _recentRotations?.Forget(sessionId);
            await Save(before, cancellationToken);
            return Refreshed(outcome, session, TokenOutcome.Fail(TokenFailure.RefreshTokenReused));
        }
        return Rejected(session);
    }

    // A check interleaved with an await drops a session it finds expired; a refresh must not answer for one it dropped.
    private bool IsHeld(SessionState session) => ReferenceEquals(User.Sessions.GetValueOrDefault(session.SessionId), session);

    private TokenOutcome Rejected(SessionState? session) =>
        Refreshed(RefreshOutcome.Rejected, session, TokenOutcome.Fail(TokenFailure.InvalidRefreshToken));

    private TokenOutcome Refreshed(RefreshOutcome outcome, SessionState? session, TokenOutcome answer)
    {
        services.Events.Refreshed(outcome, UserId, session);
        return answer;
    }

    public Task<AccessCheckResult> CheckAccess(AccessCheck check, CancellationToken cancellationToken = default)
    {
        var now = services.Time.GetUtcNow();
        _recentRotations?.ForgetOlderThanGrace(now);
        var decision = User.Check(check, now, Idle);
        if (decision.Expired is { } expiry)
            DropExpired(check.SessionId, expiry);
        if (decision.Session is not { } session)
            return Task.FromResult(AccessCheckResult.Denied(decision.Denial));
        session.Slide(now);
        _writes.Changed();
        // The first use of a rotated pair closes its predecessor's open-ended retry, so it is stored soon; neither
        // that nor the lazy slide is ever waited for here.
        if (session.NoteAccess(check.IssuedAt) || _writes.IsLazyWriteDue(now))
            WriteInBackground();
        return Task.FromResult(new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles));
    }

    public Task<AccessCheckResult> Introspect(AccessCheck check, CancellationToken cancellationToken = default)
    {
        var decision = User.Check(check, services.Time.GetUtcNow(), Idle);
        return Task.FromResult(decision.Session is not { } session
            ? AccessCheckResult.Denied(decision.Denial)
            : new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles));
    }

    // The live session, if any; one found expired is dropped here, by a caller that changes state.
    private SessionState? LiveSessionDroppingExpired(string sessionId, DateTimeOffset now)
    {
        var session = User.FindLiveSession(sessionId, now, Idle, out var expired);
        if (expired is { } expiry)
            DropExpired(sessionId, expiry);
        return session;
    }

    // Counted once: the dropped session is written on deactivation at the latest, so a reload cannot bring it back to be counted again.
    private void DropExpired(string sessionId, SessionEndReason expiry)
    {
        User.EndSession(sessionId);
        _writes.Changed();
        services.Events.Expired(expiry);
    }

    public Task<IReadOnlyList<SessionInfo>> GetSessions(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionInfo>>([.. User.LiveSessions(services.Time.GetUtcNow(), Idle).Select(s => s.ToInfo(Idle))]);

    public async Task<bool> EndSession(string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        var now = services.Time.GetUtcNow();
        if (LiveSessionDroppingExpired(sessionId, now) is null)
            return false;
        var before = Snapshot();
        var ended = User.EndSessions(s => s.SessionId == sessionId, reason, now, Idle);
        await Save(before, cancellationToken);
        services.Events.SessionEnded(UserId, ended[0]);
        return true;
    }

    public async Task RevokeDevice(string deviceId, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        var before = Snapshot();
        var ended = User.RevokeDevice(deviceId, services.Time.GetUtcNow(), Idle);
        await Save(before, cancellationToken);
        services.Events.DeviceRevoked(UserId, deviceId, ended);
    }

    public async Task Logout(string sessionId, LogoutScope scope, CancellationToken cancellationToken = default)
    {
        var now = services.Time.GetUtcNow();
        var deviceId = User.Sessions.GetValueOrDefault(sessionId)?.DeviceId;
        var before = Snapshot();
        var ended = scope switch
        {
            LogoutScope.Local => User.EndSessions(s => s.SessionId == sessionId, SessionEndReason.Logout, now, Idle),
            LogoutScope.Others => User.EndSessions(s => s.SessionId != sessionId, SessionEndReason.Logout, now, Idle),
            _ => User.RevokeAll(SessionEndReason.Logout, now, Idle),
        };
        await Save(before, cancellationToken);
        services.Events.LoggedOut(UserId, sessionId, deviceId, scope, ended);
    }

    public async Task RevokeAll(CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return;
        var before = Snapshot();
        var ended = User.RevokeAll(SessionEndReason.Revoked, services.Time.GetUtcNow(), Idle);
        await Save(before, cancellationToken);
        services.Events.UserRevoked(UserId, ended);
    }

    public async Task RevokeRefreshToken(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out var sessionId, out var secret) || userId != UserId
            || !User.Sessions.TryGetValue(sessionId, out var session))
            return;
        if (session.Recognise(RefreshSecrets.Hash(secret)) == PresentedSecret.Unknown)
            return;
        var before = Snapshot();
        var ended = User.EndSessions(s => s.SessionId == sessionId, SessionEndReason.Revoked, services.Time.GetUtcNow(), Idle);
        await Save(before, cancellationToken);
        services.Events.RefreshTokenRevoked(UserId, ended);
    }

    public async Task RevokeAccessToken(string sessionId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || expiresAt + SessionsTokenOptions.ClockSkew <= services.Time.GetUtcNow())
            return;
        var before = Snapshot();
        User.RevokeJti(jti, expiresAt);
        await Save(before, cancellationToken);
        services.Events.AccessTokenRevoked(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, jti);
    }

    public async Task<bool> ChangePassword(string sessionId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || await services.Passwords.VerifyAsync(User.PasswordHash!, currentPassword) == PasswordVerificationResult.Failed)
            return false;
        var now = services.Time.GetUtcNow();
        var newHash = await services.Passwords.HashAsync(newPassword);
        var before = Snapshot();
        User.PasswordHash = newHash;
        var ended = User.EndSessions(s => s.SessionId != sessionId, SessionEndReason.PasswordChanged, now, Idle);
        await Save(before, cancellationToken);
        services.Events.PasswordChanged(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, ended);
        return true;
    }

    public async Task<bool> SetDisabled(bool disabled, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return false;
        var now = services.Time.GetUtcNow();
        var before = Snapshot();
        User.Disabled = disabled;
        List<EndedSession> ended = [];
        if (disabled)
            ended = User.RevokeAll(SessionEndReason.Disabled, now, Idle);
        else
            User.RecordSuccessfulLogin();
        await Save(before, cancellationToken);
        services.Events.DisabledSet(UserId, disabled, ended);
        return true;
    }

    private async Task<TokenPair> IssuePair(SessionState session, string secret, DateTimeOffset now)
    {
        var key = await GrainFactory.GetGrain<IKeyRingGrain>(0).GetActiveKey();
        var accessToken = services.TokenIssuer.Issue(key, UserId, session.SessionId, session.DeviceId, Ids.New(), User.Roles.Contains("admin"), now);
        return new TokenPair(accessToken, (int)services.Tokens.AccessTokenLifetime.TotalSeconds,
            RefreshTokenFormat.Create(UserId, session.SessionId, secret), session.SessionId, session.DeviceId);
    }

    // Taken on command paths only, before the change: what the grain goes back to if the change is not stored.
    private UserState Snapshot() => services.Copier.Copy(User);

    private async Task Save(UserState before, CancellationToken cancellationToken)
    {
        var mark = _writes.CommandWriting();
        try
        {
            // No lazy write starts while a command writes, so this waits for one at most; the loop is cheap insurance.
            while (_lazyWrite is { IsCompleted: false } pending)
                await pending;
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Nothing of this change was acknowledged: answer from what was, never from it. What checks interleaved with
            // the write did to memory goes with it: a slide (the session looks idle from its last stored use, as after a
            // restart), a dropped expired session (still expired, dropped again), a first use of a rotated pair (its
            // predecessor may be answered again with the same successor: still one lineage). A denial they gave on the
            // strength of this change stands: it came before any acknowledgement, and the caller, told 503, must take
            // the change as maybe applied.
            state.State = before;
            WriteFailed(exception, _writes.CommandFailed);
            throw;
        }
        // Checks during the write changed memory after the write took its copy; what one of them wanted stored goes now.
        if (_writes.CommandStored(mark))
            WriteInBackground();
    }

    private void WriteInBackground()
    {
        if (_writes.WantWrite())
            _lazyWrite = WriteLazily();
    }

    // Runs on the activation's scheduler between requests; it never throws, so a command can wait for it.
    private async Task WriteLazily()
    {
        var mark = _writes.LazyWriteStarting();
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            // Still dirty: tried again a little later, or on deactivation. The storage layer has logged the failure.
            WriteFailed(exception, _writes.LazyWriteFailed);
            return;
        }
        // A command waiting to write carries this change itself, and starts any write still wanted after its own.
        if (_writes.LazyWriteStored(mark))
            _lazyWrite = WriteLazily();
    }

    // A conflict means storage holds a write this activation does not know of (one that seemed to fail, then
    // landed): memory can no longer be trusted to be the latest acknowledged state, so reload it.
    private void WriteFailed(Exception exception, Action<bool> failed)
    {
        var conflict = exception is InconsistentStateException || exception.InnerException is InconsistentStateException;
        failed(conflict);
        if (conflict)
            DeactivateOnIdle();
    }
}
