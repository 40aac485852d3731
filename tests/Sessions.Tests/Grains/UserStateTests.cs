using Microsoft.Extensions.Time.Testing;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class UserStateTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Absolute = TimeSpan.FromDays(1);
    private static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);
    private static readonly LockoutOptions Lockout = new() { MaxFailures = 3, Duration = TimeSpan.FromMinutes(15) };

    // Half a second past a whole second, so "the same second" and "the next second" differ from "the same instant".
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, 500, TimeSpan.Zero));
    private readonly UserState _user = new() { Username = "alice", PasswordHash = "hash" };

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void StartSession_AtCap_EvictsLeastRecentlyUsed()
    {
        var first = AddSession("a", maxSessions: 3);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = AddSession("b", maxSessions: 3);
        _time.Advance(TimeSpan.FromMinutes(1));
        var third = AddSession("c", maxSessions: 3);
        _time.Advance(TimeSpan.FromMinutes(1));
        first.Slide(Now);

        var fourth = NewSession("d");

        var ended = _user.StartSession(fourth, 3, Now, Idle, AccessTokenLifetime);

        var (session, reason) = Assert.Single(ended);
        Assert.Same(second, session);
        Assert.Equal(SessionEndReason.CapEvicted, reason);
        Assert.Equal(
            new[] { first.SessionId, third.SessionId, fourth.SessionId }.Order(),
            _user.Sessions.Keys.Order());
    }

    [Fact]
    public void StartSession_SameDevice_ReplacesPreviousSession()
    {
        var old = AddSession("phone");
        var other = AddSession("laptop");

        var ended = _user.StartSession(NewSession("phone"), 10, Now, Idle, AccessTokenLifetime);

        var (session, reason) = Assert.Single(ended);
        Assert.Same(old, session);
        Assert.Equal(SessionEndReason.DeviceReplaced, reason);
        Assert.Equal(2, _user.Sessions.Count);
        Assert.DoesNotContain(old.SessionId, _user.Sessions.Keys);
        Assert.Contains(other.SessionId, _user.Sessions.Keys);
    }

    [Fact]
    public void StartSession_ExpiredSessions_EndByTheirExpiryWithoutCountingTowardTheCap()
    {
        var stale = AddSession("a", maxSessions: 2);
        _time.Advance(TimeSpan.FromMinutes(20));
        var fresh = AddSession("b", maxSessions: 2);
        _time.Advance(TimeSpan.FromMinutes(10));

        var ended = _user.StartSession(NewSession("c"), 2, Now, Idle, AccessTokenLifetime);

        Assert.Equal([new EndedSession(stale, SessionEndReason.IdleExpired)], ended);
        Assert.DoesNotContain(stale.SessionId, _user.Sessions.Keys);
        Assert.Contains(fresh.SessionId, _user.Sessions.Keys);
    }

    [Fact]
    public void StartSession_ExpiredSessionOfTheSameDevice_EndsByItsExpiryNotAsReplaced()
    {
        var old = AddSession("phone");
        _time.Advance(Absolute);
        old.Slide(Now);

        var ended = _user.StartSession(NewSession("phone"), 10, Now, Idle, AccessTokenLifetime);

        Assert.Equal([new EndedSession(old, SessionEndReason.AbsoluteExpired)], ended);
    }

    [Fact]
    public void StartSession_ExpiredSessionAndJtiPastItsExpiry_DropsBothInOnePass()
    {
        var stale = AddSession("a");
        _user.RevokeJti("jti", Now + AccessTokenLifetime);
        _time.Advance(Idle);

        var ended = _user.StartSession(NewSession("b"), 10, Now, Idle, AccessTokenLifetime);

        Assert.Equal([new EndedSession(stale, SessionEndReason.IdleExpired)], ended);
        Assert.Empty(_user.RevokedJtis);
    }

    [Fact]
    public void Check_LiveSession_IsAccepted()
    {
        var session = AddSession("a");

        var decision = _user.Check(Token(session, Now), Now, Idle);

        Assert.Equal(new AccessDecision(AccessDenial.None, session, null), decision);
    }

    [Fact]
    public void Check_TokenIssuedBeforeRevokeAllSecond_IsRevoked()
    {
        var issuedAt = Now;
        _time.Advance(TimeSpan.FromSeconds(1));
        _user.RevokeAll(SessionEndReason.Revoked, Now, Idle);
        var session = AddSession("a"); // live, so only the cut-off can reject the token

        Assert.Equal(AccessDenial.TokenRevoked, _user.Check(Token(session, issuedAt), Now, Idle).Denial);
    }

    [Fact]
    public void Check_TokenIssuedAfterRevokeAllSecond_IsAccepted()
    {
        _user.RevokeAll(SessionEndReason.Revoked, Now, Idle);
        _time.Advance(TimeSpan.FromSeconds(1));
        var session = AddSession("a");

        Assert.Equal(AccessDenial.None, _user.Check(Token(session, Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_TokenIssuedInTheRevokeAllSecondOfANewSession_IsAccepted()
    {
        _user.RevokeAll(SessionEndReason.Revoked, Now, Idle);
        var session = AddSession("a");

        Assert.Equal(AccessDenial.None, _user.Check(Token(session, Now), Now, Idle).Denial);
    }

    [Fact]
    public void RevokeAll_Always_EndsEverySession()
    {
        var session = AddSession("a");

        _user.RevokeAll(SessionEndReason.Revoked, Now, Idle);

        Assert.Equal(0, _user.Sessions.Count);
        Assert.Equal(AccessDenial.SessionEnded, _user.Check(Token(session, Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_DeviceTokenIssuedBeforeDeviceCutoff_IsRevoked()
    {
        var issuedAt = Now;
        _time.Advance(TimeSpan.FromSeconds(1));
        _user.RevokeDevice("phone", Now, Idle);
        var newSession = AddSession("phone");

        Assert.Equal(AccessDecision.Deny(AccessDenial.TokenRevoked), _user.Check(Token(newSession, issuedAt), Now, Idle));
    }

    [Fact]
    public void Check_DeviceTokenIssuedAfterDeviceCutoff_IsAccepted()
    {
        _user.RevokeDevice("phone", Now, Idle);
        _time.Advance(TimeSpan.FromSeconds(1));
        var newSession = AddSession("phone");

        Assert.Equal(AccessDenial.None, _user.Check(Token(newSession, Now), Now, Idle).Denial);
    }

    [Fact]
    public void RevokeDevice_Always_EndsOnlyThatDevicesSessions()
    {
        var phone = AddSession("phone");
        var laptop = AddSession("laptop");

        _user.RevokeDevice("phone", Now, Idle);

        Assert.Equal(AccessDenial.SessionEnded, _user.Check(Token(phone, Now), Now, Idle).Denial);
        Assert.Equal(AccessDenial.None, _user.Check(Token(laptop, Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_DenylistedJti_IsRevoked()
    {
        var session = AddSession("a");
        var token = Token(session, Now);

        _user.RevokeJti(token.Jti, Now + AccessTokenLifetime);

        Assert.Equal(AccessDenial.TokenRevoked, _user.Check(token, Now, Idle).Denial);
        Assert.Equal(AccessDenial.None, _user.Check(Token(session, Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_DenylistedJtiJustBeforeExpiryPlusSkew_IsRevoked()
    {
        var session = AddSession("a");
        var token = Token(session, Now);
        _user.RevokeJti(token.Jti, Now + AccessTokenLifetime);

        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew - TimeSpan.FromTicks(1));
        session.Slide(Now);

        Assert.Equal(AccessDenial.TokenRevoked, _user.Check(token, Now, Idle).Denial);
    }

    [Fact]
    public void PruneRevocations_JtiAtExpiryPlusSkew_DropsIt()
    {
        _user.RevokeJti("jti", Now + AccessTokenLifetime);
        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew);

        _user.PruneRevocations(Now, AccessTokenLifetime);

        Assert.Empty(_user.RevokedJtis);
    }

    [Fact]
    public void PruneRevocations_JtiWithinSkew_KeepsIt()
    {
        _user.RevokeJti("jti", Now + AccessTokenLifetime);
        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew - TimeSpan.FromSeconds(1));

        _user.PruneRevocations(Now, AccessTokenLifetime);

        Assert.Equal(["jti"], _user.RevokedJtis.Keys);
    }

    [Fact]
    public void PruneRevocations_LastOfEachPruned_HoldsNoMapAnyMore()
    {
        _user.RevokeJti("jti", Now + AccessTokenLifetime);
        _user.RevokeDevice("phone", Now, Idle);
        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew + TimeSpan.FromSeconds(1));

        _user.PruneRevocations(Now, AccessTokenLifetime);

        // The shared empty view of a user that never revoked anything, not an emptied map of its own.
        Assert.Same(new UserState().RevokedJtis, _user.RevokedJtis);
        Assert.Same(new UserState().DeviceRevokedBefore, _user.DeviceRevokedBefore);
    }

    [Fact]
    public void PruneRevocations_DeviceCutoffOlderThanAnyLiveToken_DropsIt()
    {
        _user.RevokeDevice("old", Now, Idle);
        _time.Advance(TimeSpan.FromSeconds(1));
        _user.RevokeDevice("recent", Now, Idle);
        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew);

        _user.PruneRevocations(Now, AccessTokenLifetime);

        Assert.Equal(["recent"], _user.DeviceRevokedBefore.Keys);
    }

    [Fact]
    public void RecordFailedLogin_BelowMaxFailures_DoesNotLock()
    {
        for (var i = 1; i < Lockout.MaxFailures; i++)
            Assert.False(_user.RecordFailedLogin(Now, Lockout));

        Assert.False(_user.IsLockedOut(Now));
        Assert.Equal(Lockout.MaxFailures - 1, _user.FailedLogins);
    }

    [Fact]
    public void RecordFailedLogin_AtMaxFailures_LocksForDuration()
    {
        for (var i = 1; i < Lockout.MaxFailures; i++)
            _user.RecordFailedLogin(Now, Lockout);

        Assert.True(_user.RecordFailedLogin(Now, Lockout));

        Assert.Equal(Now + Lockout.Duration, _user.LockedOutUntil);
        Assert.True(_user.IsLockedOut(Now + Lockout.Duration - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void IsLockedOut_AtLockoutEnd_IsFalse()
    {
        for (var i = 0; i < Lockout.MaxFailures; i++)
            _user.RecordFailedLogin(Now, Lockout);

        _time.Advance(Lockout.Duration);

        Assert.False(_user.IsLockedOut(Now));
    }

    [Fact]
    public void RecordSuccessfulLogin_AfterFailures_ResetsTheCount()
    {
        _user.RecordFailedLogin(Now, Lockout);
        _user.RecordFailedLogin(Now, Lockout);

        _user.RecordSuccessfulLogin();

        Assert.Equal(0, _user.FailedLogins);
        Assert.False(_user.RecordFailedLogin(Now, Lockout));
    }

    [Fact]
    public void Check_DisabledUser_IsDisabled()
    {
        var session = AddSession("a");

        _user.Disabled = true;

        Assert.Equal(AccessDenial.Disabled, _user.Check(Token(session, Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_UnknownUser_IsUnknownUser()
    {
        var nobody = new UserState();

        Assert.Equal(AccessDenial.UnknownUser, nobody.Check(new AccessCheck(Ids.New(), Ids.New(), Now), Now, Idle).Denial);
    }

    [Fact]
    public void Check_IdleSession_IsIdleExpiredAndLeftInPlace()
    {
        var session = AddSession("a");
        _time.Advance(Idle);

        var decision = _user.Check(Token(session, Now), Now, Idle);

        Assert.Equal(new AccessDecision(AccessDenial.IdleExpired, null, SessionEndReason.IdleExpired), decision);
        Assert.Equal([session.SessionId], _user.Sessions.Keys);
    }

    [Fact]
    public void Check_SessionPastItsAbsoluteLifetime_IsAbsoluteExpired()
    {
        var session = AddSession("a");
        _time.Advance(Absolute);

        var decision = _user.Check(Token(session, Now), Now, Idle);

        Assert.Equal(new AccessDecision(AccessDenial.AbsoluteExpired, null, SessionEndReason.AbsoluteExpired), decision);
    }

    [Fact]
    public void Check_ExpiredSessionOfARevokedToken_IsRevokedAndNamesNoExpiry()
    {
        var session = AddSession("a");
        var token = Token(session, Now);
        _user.RevokeJti(token.Jti, Now + Idle + AccessTokenLifetime);
        _time.Advance(Idle);

        Assert.Equal(AccessDecision.Deny(AccessDenial.TokenRevoked), _user.Check(token, Now, Idle));
    }

    [Fact]
    public void FindLiveSession_ExpiredSession_NamesItsExpiryAndLeavesItInPlace()
    {
        var session = AddSession("a");
        _time.Advance(Idle);

        Assert.Null(_user.FindLiveSession(session.SessionId, Now, Idle, out var expired));
        Assert.Equal(SessionEndReason.IdleExpired, expired);
        Assert.Equal([session.SessionId], _user.Sessions.Keys);
    }

    [Fact]
    public void FindLiveSession_UnknownSession_IsNullWithNoExpiry()
    {
        Assert.Null(_user.FindLiveSession(Ids.New(), Now, Idle, out var expired));
        Assert.Null(expired);
    }

    [Fact]
    public void EndSessions_OneAlreadyExpired_EndsItByItsExpiryAndTheOthersByTheReason()
    {
        var stale = AddSession("a");
        _time.Advance(TimeSpan.FromMinutes(20));
        var fresh = AddSession("b");
        _time.Advance(TimeSpan.FromMinutes(10));

        var ended = _user.EndSessions(_ => true, SessionEndReason.Logout, Now, Idle);

        Assert.Equal(
            [new EndedSession(stale, SessionEndReason.IdleExpired), new EndedSession(fresh, SessionEndReason.Logout)],
            ended);
        Assert.Equal(0, _user.Sessions.Count);
    }

    [Fact]
    public void RevokeAll_Always_SetsTheCutoffAndEndsByTheReason()
    {
        var session = AddSession("a");

        var ended = _user.RevokeAll(SessionEndReason.Disabled, Now, Idle);

        Assert.Equal([new EndedSession(session, SessionEndReason.Disabled)], ended);
        Assert.Equal(Now, _user.RevokedBefore);
    }

    [Fact]
    public void RevokeDevice_Always_EndsItsSessionsAsRevoked()
    {
        var phone = AddSession("phone");
        AddSession("laptop");

        var ended = _user.RevokeDevice("phone", Now, Idle);

        Assert.Equal([new EndedSession(phone, SessionEndReason.Revoked)], ended);
        Assert.Equal(Now, _user.DeviceRevokedBefore["phone"]);
    }

    private SessionState AddSession(string deviceId, int maxSessions = 10)
    {
        var session = NewSession(deviceId);
        _user.StartSession(session, maxSessions, Now, Idle, AccessTokenLifetime);
        return session;
    }

    private SessionState NewSession(string deviceId) => new()
    {
        SessionId = Ids.New(),
        DeviceId = deviceId,
        CreatedAt = Now,
        LastSeenAt = Now,
        ExpiresAt = Now + Absolute,
    };

    private static AccessCheck Token(SessionState session, DateTimeOffset issuedAt) => new(session.SessionId, Ids.New(), issuedAt);
}
