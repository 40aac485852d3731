using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class UsernameGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Register_TwentyConcurrentForOneName_ExactlyOneWins()
    {
        var username = ClusterFixture.NewUsername();
        var index = fixture.UsernameIndex(username);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => index.Register(username, ClusterFixture.Password, [])));

        var winner = Assert.Single(outcomes, o => o.Created);
        Assert.True(Ids.IsValid(winner.UserId));
        Assert.All(outcomes.Where(o => !o.Created), o => Assert.Null(o.UserId));
        Assert.Equal(winner.UserId, await index.GetUserId());
        Assert.Equal(username, (await fixture.Grains.GetGrain<IUserGrain>(winner.UserId!).GetAccount())!.Username);
    }

    [Fact]
    public async Task Register_TakenName_ReturnsNotCreatedAndKeepsTheOwner()
    {
        var username = ClusterFixture.NewUsername();
        var index = fixture.UsernameIndex(username);
        var first = await index.Register(username, ClusterFixture.Password, []);

        var second = await index.Register(username, "another password", []);

        Assert.Equal(new RegisterOutcome(false, null, username), second);
        Assert.Equal(first.UserId, await index.GetUserId());
    }

    [Fact]
    public async Task Login_KnownName_IssuesTokensForThatUser()
    {
        var username = ClusterFixture.NewUsername();
        var index = fixture.UsernameIndex(username);
        var registered = await index.Register(username, ClusterFixture.Password, []);

        var outcome = await index.Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenFailure.None, outcome.Failure);
        Assert.StartsWith(registered.UserId + ".", outcome.Tokens!.RefreshToken);
    }

    [Fact]
    public async Task Login_UnknownName_ReturnsInvalidCredentials()
    {
        var index = fixture.UsernameIndex(ClusterFixture.NewUsername());

        var outcome = await index.Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidCredentials), outcome);
        Assert.Null(await index.GetUserId());
    }
}
