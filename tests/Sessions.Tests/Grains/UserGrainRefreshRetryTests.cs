using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>
/// A refresh whose answer was lost (a 503, a timeout, a dropped connection after the rotation was stored) is retried
/// with the same spent token, maybe long after and against another activation; a thief's replay is still theft.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class UserGrainRefreshRetryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan LongPartition = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Refresh_RetriedLongAfterALostAnswerOnANewActivation_GetsTheLostRefreshTokenAndKeepsTheSession()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var lost = (await user.Refresh(first.RefreshToken)).Tokens!;
        await fixture.Deactivate(user);
        fixture.Time.Advance(LongPartition);

        var retried = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenFailure.None, retried.Failure);
        Assert.Equal(lost.RefreshToken, retried.Tokens!.RefreshToken);
        Assert.Equal(first.SessionId, retried.Tokens.SessionId);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(retried.Tokens))).IsLive);
        Assert.Single(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_RetriedTwiceAfterALostAnswer_GetsTheSameRefreshTokenBothTimes()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        await user.Refresh(first.RefreshToken);
        await fixture.Deactivate(user);
        fixture.Time.Advance(LongPartition);

        var once = (await user.Refresh(first.RefreshToken)).Tokens!;
        await fixture.Deactivate(user);
        var twice = (await user.Refresh(first.RefreshToken)).Tokens!;

        Assert.Equal(once.RefreshToken, twice.RefreshToken);
    }

    [Fact]
    public async Task Refresh_TheRetriedRefreshToken_IsOneLineageWithTheLostAnswer()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var lost = (await user.Refresh(first.RefreshToken)).Tokens!;
        await fixture.Deactivate(user);
        fixture.Time.Advance(LongPartition);
        var retried = (await user.Refresh(first.RefreshToken)).Tokens!;

        // Rotating the retried token spends the lost answer's too, for they are one token.
        var next = (await user.Refresh(retried.RefreshToken)).Tokens!;
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(next))).IsLive);
        fixture.Time.Advance(ClusterFixture.RefreshReuseGrace + TimeSpan.FromSeconds(1));

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), await user.Refresh(lost.RefreshToken));
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_RetriedAfterALostAnswerWhileStillUsingTheOldAccessToken_KeepsTheSession()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        fixture.Time.Advance(TimeSpan.FromSeconds(2)); // the old access token is of an earlier second than the rotation
        var lost = (await user.Refresh(first.RefreshToken)).Tokens!;
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(first))).IsLive);
        fixture.Time.Advance(LongPartition);

        var retried = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenFailure.None, retried.Failure);
        Assert.Equal(lost.RefreshToken, retried.Tokens!.RefreshToken);
    }

    [Fact]
    public async Task Refresh_PredecessorAfterTheNewPairWasUsedAndTheGracePassed_EndsTheSessionAsReused()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(second))).IsLive);
        fixture.Time.Advance(LongPartition);

        var replayed = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), replayed);
        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(second))).Denial);
    }

    [Fact]
    public async Task Refresh_PredecessorAfterTheNewPairWasUsed_IsTheftOnANewActivationToo()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(second))).IsLive);
        await fixture.Deactivate(user);
        fixture.Time.Advance(LongPartition);

        var replayed = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), replayed);
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_TokenTwoRotationsBack_EndsTheSessionAsReusedEvenIfTheNewPairWasNeverUsed()
    {
        var user = await fixture.NewUser();
        var first = await ClusterFixture.Login(user);
        var second = (await user.Refresh(first.RefreshToken)).Tokens!;
        await user.Refresh(second.RefreshToken);
        await fixture.Deactivate(user);

        var replayed = await user.Refresh(first.RefreshToken);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.RefreshTokenReused), replayed);
        Assert.Empty(await user.GetSessions());
    }
}
