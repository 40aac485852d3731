using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Sessions.Grains;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Grains;

/// <summary>
/// A database outage under the circuit breaker: writes fail fast once it is known down, a failed change is rolled back
/// so the grain keeps answering from what was acknowledged, and no request waits for a lazy write.
/// </summary>
[Collection(FaultyStorageCollection.Name)]
public sealed class StorageOutageTests(FaultyStorageClusterFixture fixture)
{
    // The breaker opens on four failures in its ten-second window (at least half of the calls).
    private const int FailuresToOpen = 4;
    private static readonly TimeSpan Answers = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RevokeAll_OnceTheBreakerIsOpen_FailsWithoutCallingStorage()
    {
        var users = await UsersWithStorageDown(FailuresToOpen + 1);
        foreach (var (user, _) in users.Take(FailuresToOpen))
            await Assert.ThrowsAsync<StorageUnavailableException>(() => user.RevokeAll());
        var writes = fixture.Storage.Writes;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => users[FailuresToOpen].User.RevokeAll());

        Assert.Equal(writes, fixture.Storage.Writes);
    }

    [Fact]
    public async Task RevokeAll_OnceTheBreakerIsOpen_LogsQuietlyInsteadOfAStackTracedWarning()
    {
        var users = await UsersWithStorageDown(FailuresToOpen + 1);
        foreach (var (user, _) in users.Take(FailuresToOpen))
            await Assert.ThrowsAsync<StorageUnavailableException>(() => user.RevokeAll());
        var failing = users[FailuresToOpen].User.GetGrainId();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => users[FailuresToOpen].User.RevokeAll());

        // The filter's own line; Orleans' storage bridge still logs its error line for the failed write.
        var records = FilterLog(failing);
        var record = Assert.Single(records);
        Assert.Equal((LogLevel.Debug, 4007, null), (record.Level, record.Id.Id, record.Exception));
        // A failure that reached the database is still a warning with its exception.
        Assert.Contains(FilterLog(users[0].User.GetGrainId()), r => r is { Level: LogLevel.Warning, Id.Id: 4001, Exception: not null });
    }

    private List<FakeLogRecord> FilterLog(GrainId grain) => fixture.Logs.GetSnapshot()
        .Where(r => r.Category == "Sessions.Grains.Storage.StorageFailureFilter" && r.Message.Contains(grain.ToString(), StringComparison.Ordinal))
        .ToList();

    [Fact]
    public async Task RevokeAll_AfterStorageCameBackAndTheBreakWasOver_IsStored()
    {
        var users = await UsersWithStorageDown(FailuresToOpen + 2);
        foreach (var (user, _) in users.Take(FailuresToOpen))
            await Assert.ThrowsAsync<StorageUnavailableException>(() => user.RevokeAll());
        fixture.Storage.Failing = false;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => users[FailuresToOpen].User.RevokeAll());
        fixture.StorageTime.Advance(FaultyStorageClusterFixture.BreakDuration);
        var stored = fixture.Storage.WritesStored;

        await users[FailuresToOpen].User.RevokeAll();
        await users[FailuresToOpen + 1].User.RevokeAll();

        Assert.Equal(stored + 2, fixture.Storage.WritesStored);
        Assert.False((await users[FailuresToOpen].User.CheckAccess(AccessTokens.CheckOf(users[FailuresToOpen].Pair))).IsLive);
    }

    [Fact]
    public async Task CheckAccess_AfterARevocationFailedToStore_AnswersFromTheAcknowledgedState()
    {
        var (user, pair) = (await UsersWithStorageDown(1))[0];
        await Assert.ThrowsAsync<StorageUnavailableException>(() => user.RevokeAll());

        var check = await user.CheckAccess(AccessTokens.CheckOf(pair));

        Assert.True(check.IsLive);
        Assert.Single(await user.GetSessions());
    }

    [Fact]
    public async Task Refresh_AfterARotationFailedToStore_RotatesTheSameTokenOnceStorageIsBack()
    {
        var (user, pair) = (await UsersWithStorageDown(1))[0];
        await Assert.ThrowsAsync<StorageUnavailableException>(() => user.Refresh(pair.RefreshToken));
        await fixture.Heal();

        var outcome = await user.Refresh(pair.RefreshToken);

        Assert.Equal(TokenFailure.None, outcome.Failure);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(outcome.Tokens!))).IsLive);
    }

    [Fact]
    public async Task CheckAccess_WhileItsLazyWriteHangs_StillAnswers()
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        fixture.Storage.WritesHang = true;
        var writes = fixture.Storage.Writes;
        fixture.Time.Advance(ClusterFixture.IdleTimeout / 10 + TimeSpan.FromSeconds(1));

        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers)).IsLive);
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the lazy write reaches storage");
        var whileHung = await user.CheckAccess(AccessTokens.CheckOf(pair)).WaitAsync(Answers);

        Assert.True(whileHung.IsLive);
        Assert.Equal(writes + 1, fixture.Storage.Writes);
        fixture.Storage.ReleaseHungWrites();
    }

    [Fact]
    public async Task CheckAccess_AfterItsLazyWriteFailed_WritesAgainOnlyAfterTheRetryDelay()
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        fixture.Storage.Failing = true;
        var writes = fixture.Storage.Writes;
        fixture.Time.Advance(ClusterFixture.IdleTimeout / 10 + TimeSpan.FromSeconds(1));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the lazy write is tried");
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        Assert.Equal(writes + 1, fixture.Storage.Writes);
        fixture.Storage.Failing = false;
        var stored = fixture.Storage.WritesStored;

        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);

        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.WritesStored == stored + 1), Answers, "the lazy write is tried again and stored");
    }

    [Fact]
    public async Task RevokeAll_WhileALazyWriteIsInFlight_IsStoredAfterItWithoutAConflict()
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        fixture.Storage.WritesHang = true;
        var writes = fixture.Storage.Writes;
        fixture.Time.Advance(ClusterFixture.IdleTimeout / 10 + TimeSpan.FromSeconds(1));
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the lazy write reaches storage");

        var revoke = user.RevokeAll();
        fixture.Storage.ReleaseHungWrites();

        await revoke.WaitAsync(Answers);
        Assert.Equal(writes + 2, fixture.Storage.Writes);
        Assert.False((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
    }

    [Fact]
    public async Task RevokeAll_WhoseWriteHangs_FailsAtTheTimeoutAndIsNotInEffect()
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        fixture.Storage.WritesHang = true;
        var writes = fixture.Storage.Writes;
        var revoke = user.RevokeAll();
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the write reaches storage");

        await GiveUp(revoke);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => revoke);
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive);
        fixture.Storage.ReleaseHungWrites();
    }

    [Fact]
    public async Task RevokeAll_GivenUpAtTheTimeoutButStoredLater_IsInEffectOnceTheGrainMeetsIt()
    {
        await fixture.Heal();
        var (user, pair) = await fixture.NewUserWithSession();
        fixture.Storage.WritesHang = true;
        var writes = fixture.Storage.Writes;
        var revoke = user.RevokeAll();
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.Writes == writes + 1), Answers, "the write reaches storage");
        await GiveUp(revoke);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => revoke);
        var stored = fixture.Storage.WritesStored;
        fixture.Storage.ReleaseHungWrites();
        await Eventually.Succeeds(() => Task.FromResult(fixture.Storage.WritesStored == stored + 1), Answers, "the given-up write lands");

        // The next write meets the ETag the landed one left: "maybe applied" is resolved by reloading from storage.
        await Assert.ThrowsAnyAsync<Exception>(() => user.RevokeDevice("another-device"));

        await Eventually.Succeeds(async () => !(await user.CheckAccess(AccessTokens.CheckOf(pair))).IsLive,
            Answers, "the reloaded grain holds the revocation");
    }

    [Fact]
    public async Task GetRefreshSecretKey_OfARingActivatedBeforeStorageWentDown_AnswersWithoutAWrite()
    {
        await fixture.Heal();
        var ring = fixture.Grains.GetGrain<IKeyRingGrain>(Random.Shared.NextInt64(1, long.MaxValue));
        await ring.GetActiveKey();
        fixture.Storage.Failing = true;
        var writes = fixture.Storage.Writes;

        var key = await ring.GetRefreshSecretKey().WaitAsync(Answers);

        Assert.NotEmpty(key);
        Assert.Equal(writes, fixture.Storage.Writes);
        fixture.Storage.Failing = false;
    }

    // Users made while storage works; then storage goes down, and the breaker's window holds only what follows.
    private async Task<List<(IUserGrain User, TokenPair Pair)>> UsersWithStorageDown(int count)
    {
        await fixture.Heal();
        var users = new List<(IUserGrain, TokenPair)>();
        for (var i = 0; i < count; i++)
            users.Add(await fixture.NewUserWithSession());
        fixture.StorageTime.Advance(TimeSpan.FromSeconds(11));
        fixture.Storage.Failing = true;
        return users;
    }

    // Moves the storage clock past the timeout until the hung call has been given up (the timer is set just after the
    // call reaches storage, so a single step could come before it).
    private async Task GiveUp(Task call) =>
        await Eventually.Succeeds(() =>
        {
            fixture.StorageTime.Advance(FaultyStorageClusterFixture.StorageTimeout);
            return Task.FromResult(call.IsCompleted);
        }, Answers, "the hung call is given up");
}
