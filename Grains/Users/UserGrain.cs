using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Keys;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// One user. Every security-relevant change is stored before it is acknowledged; a change whose write fails is
/// rolled back in memory, so the grain goes on answering from what was acknowledged. The sliding of <c>lastSeen</c>
/// is stored lazily, at most a tenth of the idle timeout behind, in the background: no request waits for storage.
/// Every security event is audited after it is stored; the client address and acting user come from
/// <see cref="AuditContext"/>.
/// </summary>
/// <remarks>
/// <see cref="CheckAccess"/> and <see cref="Introspect"/> interleave with the commands (<c>[AlwaysInterleave]</c>): they
/// run, whole and synchronously, at a command's awaits, above all while its write is in flight. They see the command's
/// change in memory from before its write, so what they add is a denial before the acknowledgement, never an acceptance
/// after it; and no lazy write starts while a command's write is pending (<see cref="Save"/>).
/// </remarks>
internal sealed class UserGrain(
    [PersistentState("user", SessionsStorage.Name)] IPersistentState<UserState> state,
    AccessTokenIssuer tokenIssuer,
    RefreshSecretKey refreshSecretKey,
    PasswordHashing passwords,
    DeepCopier copier,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsTokenOptions> tokens,
    IOptions<SessionsSiloOptions> options,
    AuditLog audit,
    GrainMetrics metrics) : Grain, IUserGrain
{
    // While storage is down, a lazy write is tried again this long after it failed, not on every request.
    private static readonly TimeSpan LazyWriteRetry = TimeSpan.FromSeconds(5);

    private readonly SessionsSiloOptions _options = options.Value;
    private readonly SessionsTokenOptions _tokens = tokens.Value;
    // What a refresh repeated within the grace window gets back in this activation: the very pair its first
    // presentation got (~1.6 KB for 10 s). Any other activation, or a later retry, recomputes the same refresh token.
    private readonly Dictionary<string, (byte[] SpentHash, TokenPair Pair, DateTimeOffset RotatedAt)> _recentRotations = [];
    // Changes made in memory, and how many of them storage is known to hold: a write that completes after later
    // changes leaves those dirty.
    private long _changes;
    private long _storedChanges;
    private DateTimeOffset _lazyWriteDue;
    private Task? _lazyWrite;
    private bool _lazyWriteAgain;
    // A command's Save is waiting for its turn to write or writing: a lazy write now would run beside it, and, were the
    // command's write to fail, could store the change the command is about to roll back. Checks only note the wish.
    private bool _saving;
    private bool _discardOnDeactivation;

    private UserState User => state.State;
    private string UserId => this.GetPrimaryKeyString();
    private TimeSpan Idle => _options.IdleTimeout;

    private bool Dirty => _changes != _storedChanges;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lazyWriteDue = time.GetUtcNow() + Idle / 10;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A finishing lazy write may start the next one (WriteLazily).
        while (_lazyWrite is { IsCompleted: false } pending)
            await pending;
        if (Dirty && User.Exists && !_discardOnDeactivation)
            await state.WriteStateAsync(cancellationToken);
    }

    public async Task<bool> Create(NewAccount account, CancellationToken cancellationToken = default)
    {
        if (User.Exists)
            return false;
        var before = Snapshot();
        User.Username = account.Username;
        User.PasswordHash = await passwords.HashAsync(account.Password);
        User.Roles = account.Roles;
        User.CreatedAt = time.GetUtcNow();
        await Save(before, cancellationToken);
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
            // The same hash work as any other failure, so a locked account cannot be told apart by its speed.
            await passwords.VerifyNobodyAsync(request.Password);
            LoginFailed(UserId, LoginFailureReasons.LockedOut, clientIp);
            return TokenOutcome.Fail(TokenFailure.LockedOut);
        }
        var verification = await passwords.VerifyAsync(User.PasswordHash!, request.Password);
        var before = Snapshot();
        if (verification == PasswordVerificationResult.Failed)
        {
            var locked = User.RecordFailedLogin(now, _options.Lockout);
            await Save(before, cancellationToken);
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
        User.Prune(now, Idle, _tokens.AccessTokenLifetime);
        await Save(before, cancellationToken);
        CountEnded(expired, SessionEndReason.IdleExpired, now);
        foreach (var (ended, reason) in replaced)
        {
            metrics.SessionEnded(reason);
            audit.SessionEndedByService(UserId, ended.SessionId, ended.DeviceId, reason.AuditReason(), clientIp);
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
            var newSecret = RefreshSecrets.Next(await refreshSecretKey.Get(cancellationToken), UserId, sessionId, secret);
            if (!IsHeld(session))
                return RefreshRejected();
            var before = Snapshot();
            session.Rotate(RefreshSecrets.Hash(newSecret), now);
            await Save(before, cancellationToken);
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
        if (session.LastSpent is { } lastSpent && RefreshSecrets.Matches(hash, lastSpent))
        {
            var successor = RefreshSecrets.Next(await refreshSecretKey.Get(cancellationToken), UserId, sessionId, secret);
            if (!IsHeld(session))
                return RefreshRejected();
            if (RefreshSecrets.Matches(RefreshSecrets.Hash(successor), session.RefreshTokenHash))
            {
                if (session.MayAnswerPredecessor(now, _options.RefreshReuseGrace))
                {
                    // The answer of the rotation that spent this secret may never have reached the client: answer it
                    // again, with the same refresh token (one lineage) and a fresh access token, without rotating.
                    session.Slide(now);
                    _changes++;
                    metrics.Refreshed(RefreshResults.Replayed);
                    return TokenOutcome.Success(await IssuePair(session, successor, now));
                }
            }
            else if (session.RotatedAt is { } rotatedAt && now - rotatedAt <= _options.RefreshReuseGrace)
            {
                // Rotated to a random secret before successors were derived, and this activation no longer holds the
                // pair it got: refuse without ending the session.
                return RefreshRejected();
            }
        }
        if (session.IsSpent(hash))
        {
            var before = Snapshot();
            User.EndSession(sessionId);
            _recentRotations.Remove(sessionId);
            await Save(before, cancellationToken);
            metrics.RefreshReused();
            metrics.SessionEnded(SessionEndReason.Theft);
            audit.RefreshTokenReused(UserId, sessionId, session.DeviceId, AuditContext.ClientIp);
            return TokenOutcome.Fail(TokenFailure.RefreshTokenReused);
        }
        return RefreshRejected();
    }

    // A check interleaved with an await drops a session it finds expired; a refresh must not answer for one it dropped.
    private bool IsHeld(SessionState session) => ReferenceEquals(User.Sessions.GetValueOrDefault(session.SessionId), session);

    private TokenOutcome RefreshRejected()
    {
        metrics.Refreshed(RefreshResults.Rejected);
        return TokenOutcome.Fail(TokenFailure.InvalidRefreshToken);
    }

    public Task<AccessCheckResult> CheckAccess(AccessCheck check, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        // A rotation's pair (~1.6 KB, mostly its access token) is only needed for the grace window; without this, a
        // user who refreshes and then only makes requests would keep it until their next refresh.
        if (_recentRotations.Count > 0)
            ForgetRotationsOlderThanGrace(now);
        var denial = User.Check(check, now, Idle, out var session);
        if (session is null)
            return Task.FromResult(Denied(denial));
        session.Slide(now);
        _changes++;
        // The first use of a rotated pair closes its predecessor's open-ended retry, so it is stored soon; neither
        // that nor the lazy slide is ever waited for here.
        if (session.NoteAccess(check.IssuedAt) || now >= _lazyWriteDue)
            WriteInBackground();
        return Task.FromResult(new AccessCheckResult(AccessDenial.None, User.Username, session.DeviceId, User.Roles));
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
        if (denial.NoticedEnding() is { } ending)
            NoticedExpiry(ending);
        return AccessCheckResult.Denied(denial);
    }

    // Counted once: the dropped session is written on deactivation at the latest, so a reload cannot bring it back to be counted again.
    private void NoticedExpiry(SessionEndReason reason)
    {
        metrics.SessionEnded(reason);
        _changes++;
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
        var before = Snapshot();
        User.EndSession(sessionId);
        await Save(before, cancellationToken);
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
        var before = Snapshot();
        var ended = User.RevokeDevice(deviceId, now);
        await Save(before, cancellationToken);
        CountEnded(ended, SessionEndReason.Revoked, now);
        audit.DeviceRevoked(UserId, deviceId, AuditContext.Actor, AuditContext.ClientIp);
    }

    public async Task Logout(string sessionId, LogoutScope scope, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var deviceId = User.Sessions.GetValueOrDefault(sessionId)?.DeviceId;
        var before = Snapshot();
        var ended = scope switch
        {
            LogoutScope.Local => User.EndSessions(s => s.SessionId == sessionId),
            LogoutScope.Others => User.EndSessions(s => s.SessionId != sessionId),
            _ => User.RevokeAll(now),
        };
        await Save(before, cancellationToken);
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
        var before = Snapshot();
        var ended = User.RevokeAll(now);
        await Save(before, cancellationToken);
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
        var before = Snapshot();
        User.EndSession(sessionId);
        await Save(before, cancellationToken);
        CountEnded([session], SessionEndReason.Revoked, now);
        audit.RefreshTokenRevoked(UserId, sessionId, session.DeviceId, AuditContext.ClientIp);
    }

    public async Task RevokeAccessToken(string sessionId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || expiresAt + SessionsTokenOptions.ClockSkew <= time.GetUtcNow())
            return;
        var before = Snapshot();
        User.RevokeJti(jti, expiresAt);
        await Save(before, cancellationToken);
        audit.AccessTokenRevoked(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, jti, AuditContext.ClientIp);
    }

    public async Task<bool> ChangePassword(string sessionId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (!User.Exists || await passwords.VerifyAsync(User.PasswordHash!, currentPassword) == PasswordVerificationResult.Failed)
            return false;
        var now = time.GetUtcNow();
        var newHash = await passwords.HashAsync(newPassword);
        var before = Snapshot();
        User.PasswordHash = newHash;
        var ended = User.EndSessions(s => s.SessionId != sessionId);
        await Save(before, cancellationToken);
        CountEnded(ended, SessionEndReason.PasswordChanged, now);
        audit.PasswordChanged(UserId, sessionId, User.Sessions.GetValueOrDefault(sessionId)?.DeviceId, ended.Count, AuditContext.ClientIp);
        return true;
    }

    public async Task<bool> SetDisabled(bool disabled, CancellationToken cancellationToken = default)
    {
        if (!User.Exists)
            return false;
        var now = time.GetUtcNow();
        var before = Snapshot();
        User.Disabled = disabled;
        List<SessionState> ended = [];
        if (disabled)
            ended = User.RevokeAll(now);
        else
            User.RecordSuccessfulLogin();
        await Save(before, cancellationToken);
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
        return new TokenPair(accessToken, (int)_tokens.AccessTokenLifetime.TotalSeconds,
            RefreshTokenFormat.Create(UserId, session.SessionId, secret), session.SessionId, session.DeviceId);
    }

    // Taken on command paths only, before the change: what the grain goes back to if the change is not stored.
    private UserState Snapshot() => copier.Copy(User);

    private async Task Save(UserState before, CancellationToken cancellationToken)
    {
        var changes = ++_changes;
        _saving = true;
        try
        {
            // With _saving set a finishing lazy write starts no other, so this waits for one at most; the loop is cheap insurance.
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
            _lazyWriteAgain = false;
            if (IsConflict(exception))
                Discard();
            throw;
        }
        finally
        {
            _saving = false;
        }
        Stored(changes);
        // Checks during the write changed memory after the write took its copy; what one of them wanted stored goes now.
        if (_lazyWriteAgain)
        {
            _lazyWriteAgain = false;
            if (Dirty)
                WriteInBackground();
        }
    }

    private void WriteInBackground()
    {
        if (_discardOnDeactivation)
            return;
        if (_saving || _lazyWrite is { IsCompleted: false })
        {
            // Carried by the next write: the running lazy write starts another, a command's Save one after its own.
            _lazyWriteAgain = true;
            return;
        }
        _lazyWriteDue = time.GetUtcNow() + Idle / 10;
        _lazyWrite = WriteLazily();
    }

    // Runs on the activation's scheduler between requests; it never throws, so a command can wait for it.
    private async Task WriteLazily()
    {
        var changes = _changes;
        try
        {
            await state.WriteStateAsync();
            Stored(changes);
        }
        catch (Exception exception)
        {
            // Still dirty: tried again a little later, or on deactivation. The storage layer has logged the failure.
            _lazyWriteDue = time.GetUtcNow() + LazyWriteRetry;
            _lazyWriteAgain = false;
            if (IsConflict(exception))
                Discard();
            return;
        }
        // A command waiting to write carries this change itself, and starts any write still wanted after its own.
        if (_lazyWriteAgain && !_saving)
        {
            _lazyWriteAgain = false;
            _lazyWrite = WriteLazily();
        }
    }

    private void Stored(long changes)
    {
        if (changes > _storedChanges)
            _storedChanges = changes;
        _lazyWriteDue = time.GetUtcNow() + Idle / 10;
    }

    // A conflict means storage holds a write this activation does not know of (one that seemed to fail, then
    // landed): memory can no longer be trusted to be the latest acknowledged state, so reload it.
    private static bool IsConflict(Exception exception) =>
        exception is InconsistentStateException || exception.InnerException is InconsistentStateException;

    private void Discard()
    {
        _discardOnDeactivation = true;
        DeactivateOnIdle();
    }
}
