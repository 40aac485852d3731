using Microsoft.AspNetCore.WebUtilities;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class UserGrainRefreshTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Refresh_CurrentToken_RotatesBothTokensInTheSameSession()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user, "phone");

        var outcome = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenFailure.None, outcome.Failure);
        var second = outcome.Tokens!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal("phone", second.DeviceId);
    }

    [Fact]
    public async Task Refresh_SpentTokenWithinGrace_ReturnsTheSamePair()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        fixture.Time.Advance(ClusterFixture.RefreshReuseGrace);

        var repeated = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenFailure.None, repeated.Failure);
        Assert.Equal(second.AccessToken, repeated.Tokens!.AccessToken);
        Assert.Equal(second.RefreshToken, repeated.Tokens.RefreshToken);
        Assert.Equal(second, repeated.Tokens);
    }

    [Fact]
    public async Task Refresh_SpentTokenAfterGraceOnceTheNewPairWasUsed_EndsTheSessionAsReused()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(second))).IsLive);
        fixture.Time.Advance(ClusterFixture.RefreshReuseGrace + TimeSpan.FromSeconds(1));

        var replayed = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), replayed);
        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(second))).Denial);
        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), await user.Refresh(second.RefreshToken));
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_OlderSpentTokenWithinGraceOfALaterRotation_EndsTheSessionAsReused()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        fixture.Time.Advance(ClusterFixture.RefreshReuseGrace + TimeSpan.FromSeconds(1));
        await user.Refresh(second.RefreshToken);

        var replayed = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), replayed);
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_TenConcurrentWithOneToken_AllGetTheSamePair()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => user.Refresh(first.RefreshToken)));

        Assert.All(outcomes, o => Assert.Equal(TokenFailure.None, o.Failure));
        var pair = outcomes[0].Tokens!;
        Assert.All(outcomes, o => Assert.Equal(pair, o.Tokens));
        Assert.NotEqual(first.RefreshToken, pair.RefreshToken);
        Assert.Equal(TokenFailure.None, (await user.Refresh(pair.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_ForgedSecret_IsRefusedWithoutEndingTheSession()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        var forged = RefreshTokenFormat.Create(user.GetPrimaryKeyString(), pair.SessionId, WebEncoders.Base64UrlEncode(new byte[32]));

        var outcome = await user.Refresh(forged);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), outcome);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        Assert.Equal(TokenFailure.None, (await user.Refresh(pair.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_TokenOfAnotherUser_IsRefused()
    {
        var user = await fixture.NewUser();
        var other = await fixture.NewUser();
        var pair = await ClusterFixture.Login(other);

        var outcome = await user.Refresh(pair.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), outcome);
        Assert.Equal(TokenFailure.None, (await other.Refresh(pair.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_DisabledAccount_IsRefused()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);
        await user.SetDisabled(true);
        await user.SetDisabled(false);

        var outcome = await user.Refresh(pair.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), outcome);
    }

    [Fact]
    public async Task RevokeRefreshToken_CurrentToken_EndsTheSession()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user);

        await user.RevokeRefreshToken(pair.RefreshToken);

        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(pair))).Denial);
        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidRefreshToken), await user.Refresh(pair.RefreshToken));
    }
}
