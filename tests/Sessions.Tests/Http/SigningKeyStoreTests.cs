using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Sessions.Api.Auth;
using Sessions.Grains;

namespace Sessions.Tests.Http;

public sealed class SigningKeyStoreTests
{
    // With the default 10 s lease: renewals time out after 3.33 s, a request waits for one at most 2 s.
    private static readonly PublicKeySet Keys = new(1, []);

    [Fact]
    public void IsFresh_BeforeTheFirstSync_IsFalse()
    {
        // A host that has never heard from the key ring must re-read before verifying anything, not trust an empty set.
        var store = new SigningKeyStore(grains: null!, Options.Create(new SessionsTokenOptions()));

        Assert.False(store.IsFresh);
        Assert.Empty(store.Resolve("any"));
    }

    [Fact]
    public async Task EnsureFreshAsync_WhileARenewalHangsInsideTheLease_ReturnsAtOnce()
    {
        var (ring, clock, store) = await Synced();
        clock.Advance(TimeSpan.FromSeconds(4));
        _ = store.SyncAsync(CancellationToken.None);

        var ensured = store.EnsureFreshAsync(CancellationToken.None);

        Assert.True(ensured.IsCompletedSuccessfully);
        Assert.Equal(2, ring.Subscribes);
    }

    [Fact]
    public async Task EnsureFreshAsync_LeaseRunOutAndRenewalHangs_ThrowsTimeoutAfterTwoSeconds()
    {
        var (_, clock, store) = await Synced();
        clock.Advance(TimeSpan.FromSeconds(10));

        var ensured = store.EnsureFreshAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(ensured.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => ensured);
    }

    [Fact]
    public async Task SyncAsync_WhileARenewalIsInFlight_SendsNoSecondSubscribe()
    {
        var (ring, _, store) = await Synced();

        var first = store.SyncAsync(CancellationToken.None);
        var second = store.SyncAsync(CancellationToken.None);
        ring.Answer(Keys);
        await Task.WhenAll(first, second);

        Assert.Equal(2, ring.Subscribes);
    }

    [Fact]
    public async Task SyncAsync_SubscribeNeverAnswered_FailsAfterAThirdOfTheLease()
    {
        var (_, clock, store) = await Synced();

        var renewal = store.SyncAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(3334));

        await Assert.ThrowsAsync<TimeoutException>(() => renewal);
        Assert.True(store.LastRenewalFailed);
    }

    [Fact]
    public async Task SyncAsync_AnsweredAfterAFailedRenewal_ClearsTheFailureAndRenewsTheLease()
    {
        var (ring, clock, store) = await Synced();
        var failed = store.SyncAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<TimeoutException>(() => failed);
        Assert.False(store.IsFresh);

        var renewal = store.SyncAsync(CancellationToken.None);
        ring.Answer(Keys);
        ring.Answer(Keys);
        await renewal;

        Assert.False(store.LastRenewalFailed);
        Assert.True(store.IsFresh);
    }

    private static async Task<(StubKeyRing Ring, FakeTimeProvider Clock, SigningKeyStore Store)> Synced()
    {
        var ring = new StubKeyRing();
        var clock = new FakeTimeProvider();
        var store = new SigningKeyStore(ring.Factory, Options.Create(new SessionsTokenOptions()), clock);
        var sync = store.SyncAsync(CancellationToken.None);
        ring.Answer(Keys);
        await sync;
        return (ring, clock, store);
    }
}
