using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class UserGrainAccessTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task CheckAccess_FreshLogin_IsLiveWithTheUsersDetails()
    {
        var user = await fixture.NewUser(["admin"]);
        var pair = await ClusterFixture.Login(user, "phone");

        var result = await user.CheckAccess(AccessTokens.CheckOf(pair));

        var account = (await user.GetAccount())!;
        Assert.Equal(AccessDenial.None, result.Denial);
        Assert.Equal(account.Username, result.Username);
        Assert.Equal("phone", result.DeviceId);
        Assert.Equal(["admin"], result.Roles!);
    }

    [Fact]
    public async Task CheckAccess_EveryTwentyMinutes_SlidesTheIdleTimeout()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);

        fixture.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        fixture.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
    }

    [Fact]
    public async Task CheckAccess_PastIdleTimeoutWithoutACheck_IsIdleExpired()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);

        fixture.Time.Advance(ClusterFixture.IdleTimeout + TimeSpan.FromMinutes(1));

        Assert.Equal(AccessCheckResult.Denied(AccessDenial.IdleExpired), await user.CheckAccess(AccessTokens.CheckOf(pair)));
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Introspect_Always_DoesNotSlideTheIdleTimeout()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);

        fixture.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.True((await user.Introspect(AccessTokens.CheckOf(pair))).IsLive);
        fixture.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(AccessDenial.IdleExpired, (await user.Introspect(AccessTokens.CheckOf(pair))).Denial);
    }

    [Fact]
    public async Task Introspect_IdleSession_LeavesItForTheNextCheckToDrop()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        fixture.Time.Advance(ClusterFixture.IdleTimeout + TimeSpan.FromMinutes(1));

        Assert.Equal(AccessDenial.IdleExpired, (await user.Introspect(AccessTokens.CheckOf(pair))).Denial);
        Assert.Equal(AccessDenial.IdleExpired, (await user.Introspect(AccessTokens.CheckOf(pair))).Denial);
        Assert.Equal(AccessDenial.IdleExpired, (await user.CheckAccess(AccessTokens.CheckOf(pair))).Denial);

        Assert.Equal(AccessDenial.SessionEnded, (await user.Introspect(AccessTokens.CheckOf(pair))).Denial);
    }

    [Fact]
    public async Task RevokeAll_TokensIssuedBefore_AreRevoked()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        var laptop = await ClusterFixture.Login(user, "laptop");
        fixture.Time.Advance(Second);

        await user.RevokeAll();

        Assert.Equal(AccessDenial.TokenRevoked, (await user.CheckAccess(AccessTokens.CheckOf(phone))).Denial);
        Assert.Equal(AccessDenial.TokenRevoked, (await user.CheckAccess(AccessTokens.CheckOf(laptop))).Denial);
        Assert.Empty(await user.GetSessions());
        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), await user.Refresh(phone.RefreshToken));
    }

    [Fact]
    public async Task RevokeAll_LoginAfterwards_IsLive()
    {
        var user = await fixture.NewUser();
        await ClusterFixture.Login(user);
        await user.RevokeAll();
        fixture.Time.Advance(Second);

        var pair = await ClusterFixture.Login(user);

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
    }

    [Fact]
    public async Task RevokeDevice_ThatDevice_EndsItsSessionAndKeepsOthers()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        var laptop = await ClusterFixture.Login(user, "laptop");

        await user.RevokeDevice("phone");

        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(phone))).Denial);
        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), await user.Refresh(phone.RefreshToken));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(laptop))).IsLive);
    }

    [Fact]
    public async Task RevokeDevice_LoginOnThatDeviceAfterwards_IsLive()
    {
        var user = await fixture.NewUser();
        await ClusterFixture.Login(user, "phone");
        await user.RevokeDevice("phone");
        fixture.Time.Advance(Second);

        var pair = await ClusterFixture.Login(user, "phone");

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
    }

    [Fact]
    public async Task RevokeAccessToken_ThatJti_IsDeniedAndOthersAreNot()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        var revoked = AccessTokens.CheckOf(first);

        await user.RevokeAccessToken(revoked.SessionId, revoked.Jti, revoked.IssuedAt + ClusterFixture.AccessTokenLifetime);

        Assert.Equal(AccessCheckResult.Denied(AccessDenial.TokenRevoked), await user.CheckAccess(revoked));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(second))).IsLive);
    }

    [Fact]
    public async Task ChangePassword_RightCurrentPassword_EndsOtherSessionsAndKeepsTheCallers()
    {
        var user = await fixture.NewUser();
        var caller = await ClusterFixture.Login(user, "phone");
        var other = await ClusterFixture.Login(user, "laptop");

        Assert.True(await user.ChangePassword(caller.SessionId, ClusterFixture.Password, "a new password"));

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(caller))).IsLive);
        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(other))).Denial);
        Assert.Equal([caller.SessionId], (await user.GetSessions()).Select(s => s.SessionId));
    }

    [Fact]
    public async Task ChangePassword_RightCurrentPassword_OnlyTheNewPasswordLogsIn()
    {
        var user = await fixture.NewUser();
        var caller = await ClusterFixture.Login(user);

        await user.ChangePassword(caller.SessionId, ClusterFixture.Password, "a new password");

        Assert.Equal(TokenFailure.InvalidCredentials, (await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null))).Failure);
        Assert.Equal(TokenFailure.None, (await user.Login(new LoginRequest("a new password", null, null, null))).Failure);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ChangesNothing()
    {
        var user = await fixture.NewUser();
        var caller = await ClusterFixture.Login(user, "phone");
        var other = await ClusterFixture.Login(user, "laptop");

        Assert.False(await user.ChangePassword(caller.SessionId, "wrong password", "a new password"));

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(other))).IsLive);
    }

    [Fact]
    public async Task SetDisabled_True_DeniesEverySession()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);

        Assert.True(await user.SetDisabled(true));

        Assert.Equal(AccessCheckResult.Denied(AccessDenial.Disabled), await user.CheckAccess(AccessTokens.CheckOf(pair)));
        Assert.Empty(await user.GetSessions());
        Assert.True((await user.GetAccount())!.Disabled);
    }

    [Fact]
    public async Task SetDisabled_FalseAfterTrue_LetsTheUserLogInButNotResumeOldSessions()
    {
        var user = await fixture.NewUser();
        var old = await ClusterFixture.Login(user);
        await user.SetDisabled(true);
        fixture.Time.Advance(Second);

        await user.SetDisabled(false);
        var fresh = await ClusterFixture.Login(user);

        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(old))).Denial);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(fresh))).IsLive);
    }

    [Fact]
    public async Task EndSession_LiveSession_EndsOnlyThatSession()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        var laptop = await ClusterFixture.Login(user, "laptop");

        Assert.True(await user.EndSession(phone.SessionId, SessionEndReason.Revoked));

        Assert.False(await user.EndSession(phone.SessionId, SessionEndReason.Revoked));
        Assert.Equal([laptop.SessionId], (await user.GetSessions()).Select(s => s.SessionId));
    }

    [Fact]
    public async Task Logout_Others_KeepsOnlyTheCallersSession()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        await ClusterFixture.Login(user, "laptop");

        await user.Logout(phone.SessionId, LogoutScope.Others);

        Assert.Equal([phone.SessionId], (await user.GetSessions()).Select(s => s.SessionId));
    }
}
