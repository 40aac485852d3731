using Sessions.Grains;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Grains;

/// <summary>
/// CheckAccess and Introspect interleave with the same user's commands: while a command's write is held in storage
/// they answer at once, from memory that already holds the command's change, and no lazy write runs beside that write.
/// </summary>
[Collection(FaultyStorageCollection.Name)]
public sealed class UserGrainInterleavingTests(FaultyStorageClusterFixture fixture)
{
    // Far above an answer from memory; the held write never completes on its own, so a check waiting behind it misses this.
    private static readonly TimeSpan Answers = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LazyWriteDue = ClusterFixture.IdleTimeout / 10 + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task CheckAccess_WhileACommandOfTheSameUserIsWriting_AnswersBeforeTheWriteCompletes()
    {
        var (user, pair, command) = await WithHeldWrite((u, _) => u.RevokeDevice("another-device"));

        var check = await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers);

        Assert.True(check.IsLive);
        Assert.False(command.IsCompleted);
        await Release(command);
    }

    [Fact]
    public async Task Introspect_WhileACommandOfTheSameUserIsWriting_AnswersBeforeTheWriteCompletes()
    {
        var (user, pair, command) = await WithHeldWrite((u, _) => u.RevokeDevice("another-device"));

        var check = await user.Introspect(AccessTokens.CheckOf(pair)).WaitAsync(Answers);

        Assert.True(check.IsLive);
        Assert.False(command.IsCompleted);
        await Release(command);
    }

    [Fact]
    public async Task CheckAccess_WhileARevocationIsWriting_DeniesTheRevokedSession()
    {
        var (user, pair, revoke) = await WithHeldWrite((u, _) => u.RevokeAll());

        var check = await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers);

        Assert.Equal(AccessDenial.SessionEnded, check.Denial);
        Assert.False(revoke.IsCompleted);
        await Release(revoke);
    }

    [Fact]
    public async Task CheckAccess_AfterARevocationWhoseWriteItAnsweredDuringFailed_AcceptsTheSessionAgain()
    {
        var (user, pair, revoke) = await WithHeldWrite((u, _) => u.RevokeAll());
        Assert.False((await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers)).IsLive);
        fixture.Storage.Failing = true;
        fixture.Storage.ReleaseHungWrites();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => revoke.WaitAsync(Answers));
        fixture.Storage.Failing = false;

        var check = await user.CheckAccess(AccessTokens.CheckOf(pair));

        Assert.True(check.IsLive);
    }

    [Fact]
    public async Task Refresh_WhoseWriteIsHeldWhileItsSessionIsChecked_KeepsOneLineage()
    {
        TokenPair? first = null;
        var (user, pair, refresh) = await WithHeldWrite(async (u, p) => first = (await u.Refresh(p.RefreshToken)).Tokens);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers)).IsLive);
        await Release(refresh);

        var retried = await user.Refresh(pair.RefreshToken);

        Assert.NotNull(first);
        Assert.Equal(first.RefreshToken, retried.Tokens?.RefreshToken);
    }

    [Fact]
    public async Task CheckAccess_DueForALazyWriteWhileACommandWrites_WritesOnceAfterItAndNeverBesideIt()
    {
        var (user, pair, command) = await WithHeldWrite((u, _) => u.RevokeDevice("another-device"), lazyWriteDue: true);
        var writes = fixture.Storage.Writes;
        var stored = fixture.Storage.WritesStored;
        for (var i = 0; i < 3; i++)
            Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers)).IsLive);
        await Release(command);
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.WritesStored == stored + 2), Answers,
            "the command's write and then one carrying the checks' slide are stored");

        await user.RevokeDevice("a-third-device").WaitAsync(Answers);

        Assert.Equal(writes + 2, fixture.Storage.Writes);
        Assert.Equal(1, fixture.Storage.MostWritesInFlight);
    }

    [Fact]
    public async Task CheckAccess_DueForALazyWriteDuringACommandWriteThatFails_WritesNothingOfIt()
    {
        var (user, pair, command) = await WithHeldWrite((u, _) => u.RevokeDevice("another-device"), lazyWriteDue: true);
        var writes = fixture.Storage.Writes;
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers)).IsLive);
        fixture.Storage.Failing = true;
        fixture.Storage.ReleaseHungWrites();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => command.WaitAsync(Answers));
        fixture.Storage.Failing = false;

        await user.RevokeDevice("a-third-device").WaitAsync(Answers);

        Assert.Equal(writes + 1, fixture.Storage.Writes);
        Assert.Equal(1, fixture.Storage.MostWritesInFlight);
    }

    // A fresh user with one session, and a command of theirs whose write is held in storage until the test lets it go.
    private async Task<(IUserGrain User, TokenPair Pair, Task Command)> WithHeldWrite(Func<IUserGrain, TokenPair, Task> command, bool lazyWriteDue = false)
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        if (lazyWriteDue)
            fixture.Time.Advance(LazyWriteDue);
        fixture.Storage.ResetMostWritesInFlight();
        var writes = fixture.Storage.Writes;
        fixture.Storage.WritesHang = true;
        var running = command(user, pair);
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the command's write reaches storage");
        return (user, pair, running);
    }

    private async Task Release(Task command)
    {
        fixture.Storage.ReleaseHungWrites();
        await command.WaitAsync(Answers);
    }
}
