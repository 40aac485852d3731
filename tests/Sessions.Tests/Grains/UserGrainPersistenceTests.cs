using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class UserGrainPersistenceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Deactivate_UserWithSessions_KeepsThemAndTheirRefreshTokens()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var laptop = await ClusterFixture.Login(user, "laptop");

        await fixture.Deactivate(user);

        Assert.Equal([phone.SessionId, laptop.SessionId], (await user.GetSessions()).Select(s => s.SessionId));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(phone))).IsLive);
        Assert.Equal(TokenFailure.None, (await user.Refresh(laptop.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Deactivate_AfterRevokeAccessToken_StillDeniesThatJti()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        var check = AccessTokens.CheckOf(pair);
        await user.RevokeAccessToken(check.SessionId, check.Jti, check.IssuedAt + ClusterFixture.AccessTokenLifetime);

        await fixture.Deactivate(user);

        Assert.Equal(AccessDenial.TokenRevoked, (await user.CheckAccess(check)).Denial);
    }

    [Fact]
    public async Task Deactivate_AfterRevokeAll_StillRejectsEarlierTokens()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await user.RevokeAll();

        await fixture.Deactivate(user);

        Assert.Equal(AccessDenial.TokenRevoked, (await user.CheckAccess(AccessTokens.CheckOf(pair))).Denial);
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Deactivate_AfterRevokeDevice_StillEndsThatDevicesSession()
    {
        var user = await fixture.NewUser();
        var phone = await ClusterFixture.Login(user, "phone");
        var laptop = await ClusterFixture.Login(user, "laptop");
        await user.RevokeDevice("phone");

        await fixture.Deactivate(user);

        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(phone))).Denial);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(laptop))).IsLive);
    }

    [Fact]
    public async Task Deactivate_AfterASlideNotYetStored_KeepsTheSlide()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        fixture.Time.Advance(TimeSpan.FromMinutes(1)); // under a tenth of the idle timeout: the slide is not stored at once
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);

        await fixture.Deactivate(user);
        fixture.Time.Advance(ClusterFixture.IdleTimeout - TimeSpan.FromSeconds(30));

        Assert.True((await user.Introspect(AccessTokens.CheckOf(pair))).IsLive);
    }

    [Fact]
    public async Task Deactivate_WhileLockedOut_StaysLockedOut()
    {
        var user = await fixture.NewUser();
        for (var i = 0; i < ClusterFixture.MaxFailures; i++)
            await user.Login(new LoginRequest("wrong password", null, null, null));

        await fixture.Deactivate(user);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.LockedOut), await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null)));
    }

    [Fact]
    public async Task Refresh_SpentTokenWithinGraceAfterReactivation_GetsTheSameRefreshToken()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;

        await fixture.Deactivate(user);
        var repeated = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenFailure.None, repeated.Failure);
        Assert.Equal(second.RefreshToken, repeated.Tokens!.RefreshToken);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(second))).IsLive);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(repeated.Tokens))).IsLive);
        Assert.Equal(TokenFailure.None, (await user.Refresh(second.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Deactivate_Account_KeepsItsDetails()
    {
        var user = await fixture.NewUser(["admin"]);
        var before = await user.GetAccount();

        await fixture.Deactivate(user);

        Assert.Equal(before!.Username, (await user.GetAccount())!.Username);
        Assert.Equal(before.CreatedAt, (await user.GetAccount())!.CreatedAt);
        Assert.Equal(["admin"], (await user.GetAccount())!.Roles);
    }
}
